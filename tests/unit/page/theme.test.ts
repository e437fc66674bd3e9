// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { hostLook, luminance } from '../../../lib/page/theme';

describe('hostLook', () => {
  it('follows the page’s own background, whatever the system prefers', () => {
    document.body.innerHTML =
      '<div id="dark" style="background-color: rgb(20, 24, 31); font-family: Inter, sans-serif"><section id="a">x</section></div>' +
      '<div style="background-color: #ffffff"><section id="b" style="background-color: transparent">y</section></div>';
    expect(hostLook(document.getElementById('a')!, false)).toEqual({
      theme: 'dark',
      fontFamily: 'Inter, sans-serif',
    });
    expect(hostLook(document.getElementById('b')!, true).theme).toBe('light');
  });

  it('falls back to the system preference when the page paints no background', () => {
    document.body.innerHTML = '<section id="c">z</section>';
    expect(hostLook(document.getElementById('c')!, true).theme).toBe('dark');
    expect(hostLook(document.getElementById('c')!, false).theme).toBe('light');
  });

  it('measures luminance as WCAG does', () => {
    expect(luminance([255, 255, 255])).toBeCloseTo(1);
    expect(luminance([0, 0, 0])).toBe(0);
    expect(luminance([128, 128, 128])).toBeCloseTo(0.2159, 3);
  });
});
