/*
 * The media library's focal point: click the picture (or use the arrow keys on it) to set the point every
 * crop keeps in view. It fills the two focal fields and previews the crops as articles/images.py makes them.
 * On a new image the chosen file is shown before it is uploaded.
 */
"use strict"
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-picker")
  if (!picker) return
  const xInput = document.getElementById(picker.dataset.xInput)
  const yInput = document.getElementById(picker.dataset.yInput)
  const fileInput = document.getElementById(picker.dataset.fileInput)
  if (!xInput || !yInput) return

  const frame = document.createElement("div")
  frame.className = "focal-frame"
  frame.tabIndex = 0
  frame.setAttribute("role", "group")
  const image = document.createElement("img")
  image.alt = ""
  image.className = "focal-image"
  const marker = document.createElement("span")
  marker.className = "focal-marker"
  frame.append(image, marker)
  const previews = [...document.querySelectorAll(".focal-preview")].map((figure) => {
    const kind = [...figure.classList].find((name) => name.startsWith("focal-preview-")).slice(14)
    const ratio = { card: 3 / 2, square: 1, social: 1200 / 630, wide: 16 / 9 }[kind] || 1
    const copy = document.createElement("img")
    copy.alt = ""
    figure.querySelector(".focal-preview-frame").append(copy)
    return { figure, ratio, copy }
  })

  const clamp = (value) => Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0.5))
  const current = () => [clamp(Number.parseFloat(xInput.value)), clamp(Number.parseFloat(yInput.value))]

  // The same box as articles.images.crop_box, in the picture's own pixels.
  const cropBox = (width, height, ratio, x, y) => {
    let boxWidth = width
    let boxHeight = width / ratio
    if (width / height > ratio) {
      boxHeight = height
      boxWidth = height * ratio
    }
    const left = Math.min(Math.max(x * width - boxWidth / 2, 0), width - boxWidth)
    const top = Math.min(Math.max(y * height - boxHeight / 2, 0), height - boxHeight)
    return { left, top, boxWidth, boxHeight }
  }

  const draw = () => {
    const [x, y] = current()
    marker.style.left = `${x * 100}%`
    marker.style.top = `${y * 100}%`
    frame.setAttribute(
      "aria-label",
      `Focal point: ${Math.round(x * 100)}% across, ${Math.round(y * 100)}% down. Arrow keys move it.`,
    )
    const width = image.naturalWidth
    const height = image.naturalHeight
    if (!width || !height) return
    for (const { figure, ratio, copy } of previews) {
      const box = cropBox(width, height, ratio, x, y)
      const shown = figure.querySelector(".focal-preview-frame")
      const scale = shown.clientWidth / box.boxWidth
      shown.style.height = `${shown.clientWidth / ratio}px`
      copy.style.width = `${width * scale}px`
      copy.style.left = `${-box.left * scale}px`
      copy.style.top = `${-box.top * scale}px`
    }
  }

  const set = (x, y) => {
    xInput.value = clamp(x).toFixed(3)
    yInput.value = clamp(y).toFixed(3)
    xInput.dispatchEvent(new Event("change", { bubbles: true }))
    draw()
  }

  const show = (src) => {
    picker.querySelector(".focal-empty")?.remove()
    if (!frame.isConnected) picker.append(frame)
    image.src = src
    for (const { copy } of previews) copy.src = src
    document.querySelector(".focal-previews")?.classList.add("is-shown")
  }

  image.addEventListener("load", draw)
  frame.addEventListener("click", (event) => {
    const rect = image.getBoundingClientRect()
    set((event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height)
  })
  frame.addEventListener("keydown", (event) => {
    const step = event.shiftKey ? 0.1 : 0.01
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }
    const move = moves[event.key]
    if (!move) return
    event.preventDefault()
    const [x, y] = current()
    set(x + move[0], y + move[1])
  })
  for (const input of [xInput, yInput]) input.addEventListener("input", draw)
  fileInput?.addEventListener("change", () => {
    const file = fileInput.files?.[0]
    if (file) show(URL.createObjectURL(file))
  })
  window.addEventListener("resize", draw)
  if (picker.dataset.src) show(picker.dataset.src)
})
