// Moves focus to a form's error summary when the browser did not honour its autofocus attribute.
const summary = document.getElementById('error-summary')
if (summary && (document.activeElement === null || document.activeElement === document.body)) summary.focus()
