/**
 * Every place where the extension reads the host page, in one module.
 *
 * The real product's markup is not public, so pages are recognised by what a person sees (navigation labels and
 * section headings), with the product's older names (tool, agent) as alternatives, and the URL only as a hint.
 * Each function is tested against saved pages in tests/fixtures/pages/.
 */

export const LABELS = {
  configurationsNav: ['Configurations', 'Configuration'],
  configurationsHeading: ['Configurations', 'Configuration'],
  exportHeading: ['Export workflow', 'Export tool', 'Export agent', 'Export'],
  importHeading: ['Import a workflow', 'Import workflow', 'Import a tool', 'Import agent'],
  dashboardHeading: ['Workflows', 'Tools', 'Agents'],
  importWorkflowButton: [
    'Import a workflow',
    'Import workflow',
    'Import a tool',
    'Import tool',
    'Import an agent',
    'Import agent',
  ],
} as const;

const HEADING_SELECTOR = 'h1, h2, h3, h4, h5, h6, [role="heading"]';
const WORKFLOW_ID = /\b(a-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/i;
const WORKFLOW_PATH = /\/(?:workflows?|tools?|agents?)\/(a-[0-9a-f-]{36})(?:\/|$|\?|#)/i;

function normalise(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
}

function matches(text: string | null | undefined, labels: readonly string[]): boolean {
  const value = normalise(text);
  return labels.some((label) => value === label.toLowerCase());
}

/** The first heading whose visible text is one of `labels`, in the order the labels are listed. */
export function findHeading(root: ParentNode, labels: readonly string[]): HTMLElement | null {
  const headings = Array.from(root.querySelectorAll<HTMLElement>(HEADING_SELECTOR));
  for (const label of labels) {
    const found = headings.find((heading) => matches(heading.textContent, [label]));
    if (found) return found;
  }
  return null;
}

/** The block a heading titles: its section or region, else the heading's own container. */
export function sectionOf(heading: HTMLElement): HTMLElement {
  return (
    heading.closest<HTMLElement>('section, [role="region"], [role="group"], fieldset, article') ??
    heading.parentElement ??
    heading
  );
}

const NAVIGATION = ['nav', '[role="navigation"]', 'aside'];
const CURRENT_ITEM = ['[aria-current="page"]', '[aria-selected="true"]', '.active', '.selected'];
const CURRENT_NAV_ITEM = NAVIGATION.flatMap((nav) => CURRENT_ITEM.map((item) => `${nav} ${item}`)).join(', ');

/** Whether any navigation marks one of `labels` as the current item. */
function isCurrentNavItem(root: ParentNode, labels: readonly string[]): boolean {
  return Array.from(root.querySelectorAll<HTMLElement>(CURRENT_NAV_ITEM)).some((item) =>
    matches(item.textContent, labels),
  );
}

export interface ConfigurationsPage {
  exportSection: HTMLElement;
  importSection: HTMLElement | null;
}

/**
 * The workflow's Configurations page: the current navigation item or the page heading says "Configurations",
 * and an "Export workflow" section is present.
 */
export function findConfigurationsPage(root: ParentNode): ConfigurationsPage | null {
  const onConfigurations =
    isCurrentNavItem(root, LABELS.configurationsNav) ||
    findHeading(root, LABELS.configurationsHeading) !== null;
  if (!onConfigurations) return null;
  const exportHeading = findHeading(root, LABELS.exportHeading);
  if (!exportHeading) return null;
  const importHeading = findHeading(root, LABELS.importHeading);
  return {
    exportSection: sectionOf(exportHeading),
    importSection: importHeading ? sectionOf(importHeading) : null,
  };
}

/** The workflow id from the page URL (`/workflows/a-…/configurations`), the hint the product's URLs give. */
export function workflowIdFromUrl(url: string): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  return WORKFLOW_PATH.exec(path)?.[1] ?? WORKFLOW_ID.exec(path)?.[1] ?? null;
}

/** The workflow id from the page itself: the links of the workflow's left navigation carry it. */
export function workflowIdFromDocument(root: ParentNode): string | null {
  const links = NAVIGATION.map((nav) => `${nav} a[href]`).join(', ');
  for (const link of Array.from(root.querySelectorAll<HTMLAnchorElement>(links))) {
    const id = WORKFLOW_ID.exec(link.getAttribute('href') ?? '')?.[1];
    if (id) return id;
  }
  return null;
}

export function findWorkflowId(root: ParentNode, url: string): string | null {
  return workflowIdFromUrl(url) ?? workflowIdFromDocument(root);
}

const BUTTON_SELECTOR = 'button, [role="button"], a[href]';

export interface WorkflowsDashboard {
  heading: HTMLElement;
  /** The product's own "Import a workflow" control: ours goes beside it. */
  importButton: HTMLElement;
}

/**
 * The Workflows dashboard (the list of all workflows): the page heading says "Workflows" (or the older "Tools",
 * "Agents"), the product's "Import a workflow" control is there, and the page is not one workflow's own page.
 */
export function findWorkflowsDashboard(root: ParentNode): WorkflowsDashboard | null {
  const heading = findHeading(root, LABELS.dashboardHeading);
  if (!heading || findConfigurationsPage(root)) return null;
  const buttons = Array.from(root.querySelectorAll<HTMLElement>(BUTTON_SELECTOR));
  for (const label of LABELS.importWorkflowButton) {
    const importButton = buttons.find((button) => matches(button.textContent, [label]));
    if (importButton) return { heading, importButton };
  }
  return null;
}
