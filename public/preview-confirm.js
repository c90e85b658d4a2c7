// A previewed form (form[data-previewed]) that is edited no longer matches its preview: its confirm
// buttons ([data-confirm-for="<form id>"]) are hidden and disabled, and its "update the preview"
// buttons ([data-refresh-for]) shown instead, until a new preview (or the fields are back to the
// previewed values); the preview ([data-preview-of]) is dimmed meanwhile. The server refuses such a confirmation anyway (409, src/web/previewed.ts): this
// only spares the round trip. A file, not inline script: the CSP forbids inline JS.
(() => {
  /** A field differs from the value the page was served with (the previewed one). */
  const edited = (el) => {
    if (el instanceof HTMLSelectElement) {
      const served = Array.from(el.options).findIndex((o) => o.defaultSelected);
      return el.selectedIndex !== (served === -1 ? 0 : served);
    }
    if (el instanceof HTMLTextAreaElement) return el.value !== el.defaultValue;
    if (!(el instanceof HTMLInputElement) || el.type === 'hidden') return false;
    if (el.type === 'checkbox' || el.type === 'radio') return el.checked !== el.defaultChecked;
    return el.value !== el.defaultValue;
  };

  const update = (form) => {
    const stale = Array.from(form.elements).some(edited);
    for (const b of document.querySelectorAll(`[data-confirm-for="${form.id}"]`)) {
      b.hidden = stale;
      b.disabled = stale;
    }
    for (const b of document.querySelectorAll(`[data-refresh-for="${form.id}"]`)) b.hidden = !stale;
    // The preview itself is dimmed, and the form's own preview button becomes the one to press.
    for (const s of document.querySelectorAll(`[data-preview-of="${form.id}"]`)) s.classList.toggle('preview-stale', stale);
    for (const b of form.querySelectorAll('[data-preview-button]')) b.classList.toggle('primary', stale);
  };

  for (const form of document.querySelectorAll('form[data-previewed][id]')) {
    const run = () => update(form);
    form.addEventListener('input', run);
    form.addEventListener('change', run);
    // Back/forward (and the browser's own restoring of typed values) can bring edited fields back.
    window.addEventListener('pageshow', run);
    run();
  }
})();
