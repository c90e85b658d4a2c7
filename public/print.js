// The print buttons ([data-print]) open the browser's print dialog. A file, not inline script: the CSP forbids inline JS.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-print]') : null;
  if (button) {
    event.preventDefault();
    window.print();
  }
});
