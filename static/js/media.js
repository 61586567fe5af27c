/*
 * Article bodies, for readers (articles/body.py renders the markup):
 * - embeds: nothing is requested from the provider until the reader clicks "Load"; then a sandboxed iframe,
 *   built from the data-embed-* attributes the server wrote, replaces the placeholder;
 * - galleries: the thumbnails (links to the whole picture) open a viewer: arrow keys or buttons move through
 *   it, Escape closes it and focus returns to the thumbnail.
 * No inline script or style anywhere: ready for a strict Content-Security-Policy.
 */
"use strict"
;(() => {
  const html = document.documentElement

  // Embeds.
  for (const frame of document.querySelectorAll(".embed-frame[data-embed-src]")) {
    const button = frame.querySelector(".embed-load")
    if (!button) continue
    button.hidden = false
    button.addEventListener("click", () => {
      const src = frame.dataset.embedSrc
      if (!/^https:\/\//.test(src)) return
      const iframe = document.createElement("iframe")
      iframe.src = src
      iframe.title = frame.dataset.embedTitle || ""
      iframe.setAttribute("sandbox", frame.dataset.embedSandbox || "allow-scripts allow-same-origin")
      if (frame.dataset.embedAllow) iframe.setAttribute("allow", frame.dataset.embedAllow)
      iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin")
      iframe.setAttribute("allowfullscreen", "")
      frame.textContent = ""
      frame.append(iframe)
      frame.classList.add("is-loaded")
      iframe.focus()
    })
  }

  // Galleries.
  let dialog = null
  let items = []
  let index = 0
  let opener = null

  // The viewer's words come translated from the gallery's data-label-* attributes (templates/articles/body/gallery.html).
  const build = (labels) => {
    dialog = document.createElement("dialog")
    dialog.className = "lightbox"
    dialog.setAttribute("aria-label", labels.labelGallery || "Gallery")
    const inner = document.createElement("div")
    inner.className = "lightbox-inner"
    const picture = document.createElement("img")
    picture.className = "lightbox-image"
    const caption = document.createElement("p")
    caption.className = "lightbox-caption"
    const count = document.createElement("p")
    count.className = "lightbox-count"
    count.setAttribute("aria-live", "polite")
    const controls = document.createElement("div")
    controls.className = "lightbox-controls"
    const previous = document.createElement("button")
    previous.type = "button"
    previous.textContent = labels.labelPrevious || "Previous"
    const next = document.createElement("button")
    next.type = "button"
    next.textContent = labels.labelNext || "Next"
    const close = document.createElement("button")
    close.type = "button"
    close.className = "lightbox-close"
    close.textContent = labels.labelClose || "Close"
    controls.append(previous, next)
    inner.append(picture, caption, count, controls)
    dialog.append(close, inner)
    document.body.append(dialog)
    previous.addEventListener("click", () => show(index - 1))
    next.addEventListener("click", () => show(index + 1))
    close.addEventListener("click", () => dialog.close())
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft") {
        event.preventDefault()
        show(index - 1)
      } else if (event.key === "ArrowRight") {
        event.preventDefault()
        show(index + 1)
      }
    })
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close()
    })
    dialog.addEventListener("close", () => {
      html.classList.remove("has-lightbox")
      opener?.focus()
    })
  }

  const show = (wanted) => {
    index = (wanted + items.length) % items.length
    const link = items[index]
    const picture = dialog.querySelector(".lightbox-image")
    picture.removeAttribute("src")
    picture.srcset = link.dataset.srcset || ""
    picture.sizes = "96vw"
    picture.src = link.href
    picture.alt = link.dataset.alt || ""
    if (link.dataset.width) picture.width = Number(link.dataset.width)
    if (link.dataset.height) picture.height = Number(link.dataset.height)
    const caption = link.closest("figure")?.querySelector(".gallery-caption")
    dialog.querySelector(".lightbox-caption").textContent = caption ? caption.textContent.trim() : ""
    dialog.querySelector(".lightbox-count").textContent = `${index + 1} / ${items.length}`
    for (const button of dialog.querySelectorAll(".lightbox-controls button")) button.hidden = items.length < 2
  }

  for (const gallery of document.querySelectorAll("[data-gallery]")) {
    const links = [...gallery.querySelectorAll(".gallery-link")]
    for (const link of links) {
      link.addEventListener("click", (event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || typeof HTMLDialogElement === "undefined") return
        event.preventDefault()
        if (!dialog) build(gallery.dataset)
        items = links
        opener = link
        show(links.indexOf(link))
        html.classList.add("has-lightbox")
        dialog.showModal()
        const controls = dialog.querySelectorAll(".lightbox-controls button:not([hidden])")
        ;(controls[controls.length - 1] || dialog.querySelector(".lightbox-close")).focus()
      })
    }
  }
})()
