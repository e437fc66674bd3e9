// The few extension APIs the end-to-end tests call inside the extension's worker (`worker.evaluate`).
declare namespace chrome {
  namespace downloads {
    interface DownloadItem {
      id: number;
      filename: string;
      fileSize: number;
      state: 'in_progress' | 'interrupted' | 'complete';
      startTime: string;
      endTime?: string;
      error?: string;
    }
    function search(query: { state?: DownloadItem['state'] }): Promise<DownloadItem[]>;
  }
  namespace runtime {
    function getManifest(): { name: string; version: string };
  }
}
