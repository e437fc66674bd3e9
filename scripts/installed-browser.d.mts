export function installedBrowser(options: {
  candidates: (string | undefined)[];
  debianPackage: string;
  label: string;
}): {
  find(): string | null;
  ensure(options?: { install?: boolean }): string | null;
};
