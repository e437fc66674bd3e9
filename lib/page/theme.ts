/**
 * How the host page looks where a panel goes, so the panel can match it: light or dark by the page's own colours
 * (which may differ from the system's setting), and the page's font.
 */
export interface HostLook {
  theme: 'light' | 'dark';
  fontFamily: string;
}

const TRANSPARENT = /^(transparent|rgba\([^)]*,\s*0(\.0+)?\))$/;

function parseRgb(color: string): [number, number, number] | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
  }
  const match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(color);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

/** WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function luminance([r, g, b]: [number, number, number]): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The first opaque background behind `element`, walking up to the document. */
function effectiveBackground(element: Element): [number, number, number] | null {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const color = getComputedStyle(node).backgroundColor;
    if (color && !TRANSPARENT.test(color.replace(/\s+/g, ' ').trim())) return parseRgb(color);
  }
  return null;
}

export function hostLook(element: Element, prefersDark: boolean): HostLook {
  const background = effectiveBackground(element);
  const theme = background
    ? luminance(background) < 0.35
      ? 'dark'
      : 'light'
    : prefersDark
      ? 'dark'
      : 'light';
  return { theme, fontFamily: getComputedStyle(element).fontFamily };
}
