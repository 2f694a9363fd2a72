// The function key: typed once, kept in this tab's sessionStorage only (gone when the tab
// closes), sent only as the x-functions-key header.

const STORAGE_NAME = "scatterplot.functionKey";

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage switched off: the key lives in the field only
  }
}

export function loadKey() {
  const store = storage();
  return (store && store.getItem(STORAGE_NAME)) || "";
}

export function saveKey(key) {
  const store = storage();
  if (!store) return;
  if (key) store.setItem(STORAGE_NAME, key);
  else store.removeItem(STORAGE_NAME);
}
