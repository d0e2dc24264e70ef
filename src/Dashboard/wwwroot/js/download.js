// Saves a file streamed from the server (DotNetStreamReference) under the given name.
export async function downloadFromStream(fileName, streamReference, contentType) {
  const buffer = await streamReference.arrayBuffer();
  downloadUrl(fileName, URL.createObjectURL(new Blob([buffer], { type: contentType || 'text/csv;charset=utf-8' })));
}

// Saves what a URL (blob: or data:) holds under the given name; blob URLs are released after the click.
export function downloadUrl(fileName, url) {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  if (url.startsWith('blob:')) URL.revokeObjectURL(url);
}
