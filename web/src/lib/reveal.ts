/**
 * Bring an element's start into view in the box that scrolls it: its column when the layout gives it
 * one (the episode's left column on a wide screen), else the page, below the sticky header. Only
 * that one box moves (never the page as well, as `scrollIntoView` would), and nothing moves when the
 * start is already in the upper half of what the reader sees.
 */
export function reveal(el: HTMLElement): void {
  const behavior: ScrollBehavior = window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'instant' : 'smooth';
  const top = el.getBoundingClientRect().top;
  const box = scrollBox(el);
  if (box) {
    const r = box.getBoundingClientRect();
    const from = Math.max(r.top, 0);
    const to = Math.min(r.bottom, window.innerHeight);
    if (top >= from && top <= from + (to - from) / 2) return;
    box.scrollTo({ top: box.scrollTop + top - r.top - 8, behavior });
    return;
  }
  // The app's header comes first in the document and stays on top of the page.
  const header = document.querySelector('header');
  const below = header && getComputedStyle(header).position === 'sticky' ? header.getBoundingClientRect().bottom : 0;
  if (top >= below && top <= below + (window.innerHeight - below) / 2) return;
  window.scrollTo({ top: window.scrollY + top - below - 8, behavior });
}

/** The nearest ancestor that scrolls its content vertically (null: the page does). */
function scrollBox(el: HTMLElement): HTMLElement | null {
  for (let n = el.parentElement; n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
    const o = getComputedStyle(n).overflowY;
    if ((o === 'auto' || o === 'scroll') && n.scrollHeight > n.clientHeight + 1) return n;
  }
  return null;
}
