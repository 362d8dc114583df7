// Offering bytes or text as a file download from the page (a click on a temporary link).

export function offerDownload(name: string, data: Uint8Array | string, type: string): void {
  // A copy in a plain ArrayBuffer: Blob takes no views of shared memory.
  const part = typeof data === 'string' ? data : new Uint8Array(data);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download reads the URL after click() returns: revoke it only later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
