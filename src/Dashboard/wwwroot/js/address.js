// Gives the page on screen the address of the analysis that was just saved for the first time. The page is read here, from the
// browser's own location, not from the server's idea of it: a link the user clicked a moment ago may not have reached the server
// yet, and a navigation sent from there would take the user back to the page they had just left. Blazor's router makes the change,
// so the server follows it.
const analysisPages = ['data', 'explore', 'segment', 'segments'];

export function adoptAnalysisAddress(id) {
  const base = new URL(document.baseURI).pathname;
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : location.pathname.replace(/^\/+/, '');
  const page = path.replace(/\/+$/, '') || 'data';
  if (!analysisPages.includes(page)) return false;
  Blazor.navigateTo(`analyses/${encodeURIComponent(id)}/${page}${location.search}`, { replaceHistoryEntry: true });
  return true;
}
