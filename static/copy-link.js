// The status page's "copy the link" button. Without script the button stays hidden and the link is plain, selectable text.
for (const button of document.querySelectorAll('[data-copy]')) {
  const link = document.getElementById(button.dataset.copy)
  const said = document.getElementById(button.dataset.said)
  if (!link || !said) continue
  button.parentElement.hidden = false
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(link.textContent.trim())
    } catch {
      // No clipboard (an old browser, or a page not served over https): select the link for the phone's own copy menu.
      getSelection().selectAllChildren(link)
      said.textContent = button.dataset.select
      return
    }
    said.textContent = button.dataset.copied
  })
}
