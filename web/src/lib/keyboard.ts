/**
 * App-wide keys: `/` focuses the main input of the view, `j`/`k` move through the current list
 * (results, episodes, transcript lines), Enter opens the focused item (it is a link or button),
 * Escape leaves an input. Marked up with `data-slash-focus`, `data-nav-list` and `data-nav-item`.
 */
export function handleGlobalKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  const target = e.target instanceof HTMLElement ? e.target : null;
  const typing = target?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
  if (typing) {
    if (e.key === 'Escape') target?.blur();
    return;
  }
  if (e.key === '/') {
    const input = firstVisible(document.querySelectorAll<HTMLElement>('[data-slash-focus]'));
    if (input) {
      e.preventDefault();
      input.focus();
      if (input instanceof HTMLInputElement) input.select();
    }
  } else if (e.key === 'j' || e.key === 'k') {
    if (moveInList(target, e.key === 'j' ? 1 : -1)) e.preventDefault();
  }
}

function visible(el: HTMLElement): boolean {
  return el.offsetParent !== null || el.getClientRects().length > 0;
}

function firstVisible(list: NodeListOf<HTMLElement>): HTMLElement | undefined {
  return [...list].find(visible);
}

/** Focuses the next/previous item of the list holding the focus, or the first visible list. */
function moveInList(from: HTMLElement | null, step: 1 | -1): boolean {
  const list = from?.closest<HTMLElement>('[data-nav-list]') ?? firstVisible(document.querySelectorAll<HTMLElement>('[data-nav-list]'));
  if (!list) return false;
  const items = [...list.querySelectorAll<HTMLElement>('[data-nav-item]')].filter(visible);
  if (items.length === 0) return false;
  const at = from ? items.indexOf(from) : -1;
  const next = at === -1 ? (step === 1 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + step));
  items[next].focus();
  items[next].scrollIntoView({ block: 'nearest' });
  return true;
}
