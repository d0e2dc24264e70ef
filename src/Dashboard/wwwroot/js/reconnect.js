// What the user reads while the connection to the server is down, driven by Blazor's reconnect state events on
// #components-reconnect-modal. When the server answers but no longer knows this page's circuit, it restarted: the page says so
// and reloads its own address, which reopens the saved analysis; the reloaded page tells the user (see restartNotice).
(() => {
  const restartedKey = 'segments-server-restarted';
  const modal = document.getElementById('components-reconnect-modal');
  if (!modal) return;
  const text = modal.querySelector('.reconnect-text');
  const retry = document.getElementById('components-reconnect-button');
  // The words come from the page (the server's resource files, in the user's language), never from this script.
  const say = (message) => { if (text && message) text.textContent = message; };
  const words = modal.dataset;

  const reopen = () => {
    say(words.textRestarted);
    try { sessionStorage.setItem(restartedKey, String(Date.now())); } catch { /* storage blocked: reload anyway */ }
    setTimeout(() => location.reload(), 1200);
  };

  modal.addEventListener('components-reconnect-state-changed', (event) => {
    switch (event.detail?.state) {
      case 'show':
      case 'retrying':
        say(words.textLost);
        break;
      case 'failed':
        say(words.textFailed);
        break;
      case 'rejected':
      case 'resume-failed':
        reopen();
        break;
      default:
        break;
    }
  });

  retry?.addEventListener('click', async () => {
    try {
      if (!(await Blazor.reconnect())) reopen();
    } catch {
      say(words.textStill);
    }
  });
})();

// Read once by the reloaded page: whether it was reloaded because the server restarted (within the last minute).
export function restartNotice() {
  try {
    const at = Number(sessionStorage.getItem('segments-server-restarted'));
    sessionStorage.removeItem('segments-server-restarted');
    return Number.isFinite(at) && at > 0 && Date.now() - at < 60_000;
  } catch {
    return false;
  }
}
