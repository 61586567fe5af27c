/*
 * Newsroom's extensions of the body editor (django-prose-editor), loaded as an ES module through
 * DJANGO_PROSE_EDITOR_EXTENSIONS: pictures from the media library, galleries, embeds and pull quotes.
 *
 * Each is an atom node whose HTML is the stored format of articles/richtext.py, e.g.
 *   <figure data-image-id="12" data-size="wide"><figcaption>Caption</figcaption></figure>
 * so the stored body refers to library images by id; the reader page renders them (articles/body.py).
 * Dialogs search the library and upload to it without leaving the story (articles/admin/media.py).
 */
import { crel, gettext, mergeAttributes, Node } from "django-prose-editor/editor"

const SIZES = [
  ["inline", gettext("Inline: the text's width")],
  ["wide", gettext("Wide: wider than the text")],
  ["full", gettext("Full: the page's width")],
]
const SIZE_NAMES = SIZES.map(([value]) => value)

const csrfToken = () => {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]")
  if (field) return field.value
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/)
  return match ? decodeURIComponent(match[1]) : ""
}

// What the library says about each image, fetched in batches (node views ask for one id each).
const known = new Map()
const waiting = new Map()
let batch = null

const fetchJSON = async (url, options = {}) => {
  const response = await fetch(url, { credentials: "same-origin", ...options })
  const data = await response.json().catch(() => ({}))
  return { ok: response.ok, status: response.status, data }
}

const imageSummary = (libraryUrl, id) => {
  id = Number(id)
  if (known.has(id)) return Promise.resolve(known.get(id))
  if (!waiting.has(id)) {
    let resolve
    const promise = new Promise((r) => {
      resolve = r
    })
    waiting.set(id, { promise, resolve })
    if (!batch) {
      batch = setTimeout(async () => {
        const ids = [...waiting.keys()]
        const pending = new Map(waiting)
        waiting.clear()
        batch = null
        let results = []
        try {
          const { data } = await fetchJSON(`${libraryUrl}?ids=${ids.join(",")}`)
          results = data.results || []
        } catch (_error) {
          results = []
        }
        for (const image of results) known.set(image.id, image)
        for (const [pending_id, { resolve: done }] of pending) done(known.get(pending_id) || null)
      }, 0)
    }
  }
  return waiting.get(id).promise
}

const field = (labelText, control, help = "") => {
  const id = `nr-media-${Math.random().toString(36).slice(2)}`
  control.id = id
  const children = [crel("label", { htmlFor: id, textContent: labelText }), control]
  if (help) children.push(crel("span", { className: "prose-editor-help", textContent: help }))
  return crel("div", { className: "prose-editor-dialog-field" }, children)
}

const openDialog = (editor, title, body, { submitText, onSubmit }) =>
  new Promise((resolve) => {
    const error = crel("p", { className: "nr-media-error", role: "alert" })
    const submit = crel("button", { type: "submit", textContent: submitText })
    const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
    const form = crel("form", {}, [
      crel("h3", { className: "prose-editor-dialog-title", textContent: title }),
      ...body,
      error,
      crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
    ])
    const dialog = crel("dialog", { className: "prose-editor-dialog nr-media-dialog" }, [form])
    const holder = crel("div", {}, [dialog])
    editor.view.dom.parentElement.append(holder)
    let result = null
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      holder.remove()
      resolve(result)
    })
    form.addEventListener("submit", async (event) => {
      event.preventDefault()
      error.textContent = ""
      try {
        const value = await onSubmit()
        if (value === undefined) return
        result = value
        dialog.close()
      } catch (problem) {
        error.textContent = problem.message || String(problem)
      }
    })
    dialog.showModal()
  })

const sizeSelect = (value) => {
  const select = crel(
    "select",
    { name: "size" },
    SIZES.map(([option, label]) => crel("option", { value: option, textContent: label })),
  )
  select.value = SIZE_NAMES.includes(value) ? value : "inline"
  return select
}

// The library picker, with an upload form: resolves to {ids, size, caption} or null.
const pickImages = (editor, options, { multiple, ids = [], size = "inline", caption = "", title }) => {
  const { libraryUrl, uploadUrl } = options
  let selected = ids.map(Number)
  const search = crel("input", { type: "search", name: "q", placeholder: gettext("Words from the title, caption, credit…") })
  const results = crel("div", { className: "nr-media-results", role: "group" })
  results.setAttribute("aria-label", gettext("Library images"))
  const more = crel("button", { type: "button", className: "nr-media-more", textContent: gettext("More"), hidden: true })
  const chosen = crel("ol", { className: "nr-media-chosen" })
  let nextPage = null

  const renderChosen = () => {
    chosen.textContent = ""
    for (const [index, id] of selected.entries()) {
      const image = known.get(id)
      const remove = crel("button", { type: "button", textContent: gettext("Remove") })
      remove.addEventListener("click", () => {
        selected = selected.filter((one) => one !== id)
        renderChosen()
        syncPressed()
      })
      const item = crel("li", {}, [
        crel("img", { src: image?.thumbnail || "", alt: "", width: 48, height: 48 }),
        crel("span", { textContent: image ? image.title : `#${id}` }),
        remove,
      ])
      if (multiple && index > 0) {
        const up = crel("button", { type: "button", textContent: "↑" })
        up.setAttribute("aria-label", gettext("Move earlier"))
        up.addEventListener("click", () => {
          selected.splice(index, 1)
          selected.splice(index - 1, 0, id)
          renderChosen()
        })
        item.append(up)
      }
      chosen.append(item)
    }
    captionInput.placeholder =
      !multiple && selected.length && known.get(selected[0])?.caption
        ? `${gettext("Library caption:")} ${known.get(selected[0]).caption}`
        : ""
  }
  const syncPressed = () => {
    for (const button of results.querySelectorAll("button[data-id]")) {
      button.setAttribute("aria-pressed", String(selected.includes(Number(button.dataset.id))))
    }
  }
  const choose = (image) => {
    known.set(image.id, image)
    if (multiple) {
      selected = selected.includes(image.id) ? selected.filter((id) => id !== image.id) : [...selected, image.id]
    } else {
      selected = [image.id]
    }
    renderChosen()
    syncPressed()
  }
  const resultButton = (image) => {
    known.set(image.id, image)
    const button = crel(
      "button",
      { type: "button", className: "nr-media-result", "data-id": image.id },
      [
        crel("img", { src: image.thumbnail, alt: "", width: 96, height: 96, loading: "lazy" }),
        crel("span", { className: "nr-media-result-title", textContent: image.title }),
        crel("span", { className: "nr-media-result-credit", textContent: image.credit || "" }),
      ],
    )
    if (image.rights_expired) button.classList.add("nr-media-expired")
    button.addEventListener("click", () => choose(image))
    return button
  }
  const load = async (page = 1) => {
    const query = new URLSearchParams({ q: search.value, page: String(page) })
    const { data } = await fetchJSON(`${libraryUrl}?${query}`)
    if (page === 1) results.textContent = ""
    for (const image of data.results || []) results.append(resultButton(image))
    if (!results.children.length) results.append(crel("p", { textContent: gettext("No image matches.") }))
    nextPage = data.next
    more.hidden = !nextPage
    syncPressed()
  }
  let timer = null
  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(() => load(1), 250)
  })
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault()
      load(1)
    }
  })
  more.addEventListener("click", () => nextPage && load(nextPage))

  // Upload a new image without leaving the story.
  const file = crel("input", { type: "file", name: "file", accept: "image/jpeg,image/png,image/webp,image/gif" })
  const upTitle = crel("input", { type: "text", name: "title" })
  const upAlt = crel("input", { type: "text", name: "alt" })
  const upDecorative = crel("input", { type: "checkbox", name: "is_decorative" })
  const upCaption = crel("input", { type: "text", name: "caption" })
  const upCredit = crel("input", { type: "text", name: "credit" })
  const upSource = crel("input", { type: "text", name: "source" })
  const upMessage = crel("p", { className: "nr-media-error", role: "alert" })
  const upload = crel("button", { type: "button", textContent: gettext("Upload to the library") })
  upload.addEventListener("click", async () => {
    upMessage.textContent = ""
    if (!file.files.length) {
      upMessage.textContent = gettext("Choose a file first.")
      return
    }
    const data = new FormData()
    data.append("file", file.files[0])
    data.append("title", upTitle.value)
    data.append("alt", upAlt.value)
    if (upDecorative.checked) data.append("is_decorative", "on")
    data.append("caption", upCaption.value)
    data.append("credit", upCredit.value)
    data.append("source", upSource.value)
    data.append("licence", "unknown")
    upload.disabled = true
    try {
      const response = await fetchJSON(uploadUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken() },
      })
      if (!response.ok) {
        const errors = response.data.errors || {}
        upMessage.textContent =
          Object.values(errors)
            .flat()
            .map((one) => one.message)
            .join(" ") || gettext("The upload failed.")
        return
      }
      const image = response.data.image
      results.prepend(resultButton(image))
      choose(image)
      for (const input of [file, upTitle, upAlt, upCaption, upCredit, upSource]) input.value = ""
      upDecorative.checked = false
      uploadBox.open = false
    } finally {
      upload.disabled = false
    }
  })
  const uploadBox = crel("details", { className: "nr-media-upload" }, [
    crel("summary", { textContent: gettext("Upload a new image") }),
    field(gettext("File"), file, gettext("JPEG, PNG, WebP or GIF")),
    field(gettext("Title"), upTitle, gettext("Empty: the file's name")),
    field(gettext("Alt text"), upAlt, gettext("What the picture shows, for readers who cannot see it")),
    field(gettext("Decorative (no alt text needed)"), upDecorative),
    field(gettext("Caption"), upCaption),
    field(gettext("Credit"), upCredit),
    field(gettext("Source"), upSource),
    upMessage,
    upload,
  ])

  const sizeInput = sizeSelect(size)
  const captionInput = crel("input", { type: "text", name: "caption", value: caption })
  const body = [
    field(gettext("Search the library"), search),
    results,
    more,
    uploadBox,
    crel("h4", { textContent: multiple ? gettext("In the gallery, in order") : gettext("Chosen image") }),
    chosen,
    field(gettext("Size"), sizeInput),
    field(
      multiple ? gettext("Gallery caption") : gettext("Caption in this story"),
      captionInput,
      multiple ? "" : gettext("Empty: the library's caption. The credit always comes from the library."),
    ),
  ]
  Promise.all(selected.map((id) => imageSummary(libraryUrl, id))).then(renderChosen)
  load(1)
  return openDialog(editor, title, body, {
    submitText: ids.length ? gettext("Update") : gettext("Insert"),
    onSubmit: () => {
      if (!selected.length) throw new Error(gettext("Choose an image from the library or upload one."))
      return { ids: selected, size: sizeInput.value, caption: captionInput.value.trim() }
    },
  })
}

// Insert a block at the cursor, followed by an empty paragraph where the cursor goes (writing continues
// below it; an empty paragraph left over is dropped on save). A selected block is kept: the new one follows it.
const insertBlock = (editor, content) => {
  const { selection } = editor.state
  const blocks = [content, { type: "paragraph" }]
  const chain = editor.chain().focus()
  if (selection.node) chain.insertContentAt(selection.to, blocks)
  else chain.insertContent(blocks)
  chain.run()
}

// Node views: what the editor shows in place of each block.
const nodeView =
  (render) =>
  ({ node, editor, getPos, extension }) => {
    const dom = crel("figure", { className: "nr-node" })
    dom.setAttribute("contenteditable", "false")
    const draw = (current) => {
      dom.textContent = ""
      const edit = crel("button", { type: "button", className: "nr-node-edit", textContent: gettext("Edit") })
      edit.addEventListener("click", (event) => {
        event.preventDefault()
        const update = (attrs) => {
          const pos = getPos()
          if (typeof pos !== "number") return
          editor.view.dispatch(editor.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, ...attrs }))
        }
        extension.options.edit(editor, current, update, extension.options)
      })
      render(dom, current, extension.options)
      dom.append(edit)
    }
    draw(node)
    return {
      dom,
      update(updated) {
        if (updated.type !== node.type) return false
        draw(updated)
        return true
      },
      stopEvent: (event) => event.target instanceof Element && !!event.target.closest("button"),
      ignoreMutation: () => true,
    }
  }

const captionLine = (dom, text, fallback) => {
  const caption = crel("figcaption", { textContent: text || fallback || "" })
  if (!text && fallback) caption.classList.add("nr-node-fallback")
  dom.append(caption)
}

const attribute = (name, fallback = "") => ({
  default: fallback,
  parseHTML: (element) => element.getAttribute(name) || fallback,
  renderHTML: () => ({}),
})
const captionAttribute = {
  default: "",
  parseHTML: (element) => element.querySelector(":scope > figcaption")?.textContent.trim() || "",
  renderHTML: () => ({}),
}
const withCaption = (tag, attrs, caption) => (caption ? [tag, attrs, ["figcaption", {}, caption]] : [tag, attrs])

export const NewsroomImage = Node.create({
  name: "newsroomImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return {
      libraryUrl: "",
      uploadUrl: "",
      edit: (editor, node, update, options) =>
        pickImages(editor, options, {
          multiple: false,
          ids: [Number(node.attrs.imageId)],
          size: node.attrs.size,
          caption: node.attrs.caption,
          title: gettext("Change the image"),
        }).then((result) => {
          if (result) update({ imageId: String(result.ids[0]), size: result.size, caption: result.caption })
        }),
    }
  },

  addAttributes() {
    return {
      imageId: attribute("data-image-id"),
      size: attribute("data-size", "inline"),
      caption: captionAttribute,
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image-id]", priority: 60 }]
  },

  renderHTML({ node }) {
    const size = SIZE_NAMES.includes(node.attrs.size) ? node.attrs.size : "inline"
    return withCaption(
      "figure",
      mergeAttributes({ "data-image-id": node.attrs.imageId, "data-size": size }),
      node.attrs.caption,
    )
  },

  addNodeView() {
    return nodeView((dom, node, options) => {
      dom.className = `nr-node nr-node-image nr-size-${node.attrs.size}`
      const img = crel("img", { alt: "" })
      const label = crel("span", { className: "nr-node-label", textContent: `${gettext("Image")} · ${node.attrs.size}` })
      dom.append(label, img)
      imageSummary(options.libraryUrl, node.attrs.imageId).then((image) => {
        if (!image) {
          img.replaceWith(crel("p", { className: "nr-media-error", textContent: gettext("This image is no longer in the library.") }))
          return
        }
        img.src = image.preview
        img.alt = image.alt
        dom.querySelector("figcaption")?.remove()
        captionLine(dom, node.attrs.caption, image.caption ? `${gettext("Library caption:")} ${image.caption}` : "")
      })
      captionLine(dom, node.attrs.caption, "")
    })
  },

  addCommands() {
    return {
      insertNewsroomImage:
        () =>
        ({ editor }) => {
          pickImages(editor, this.options, { multiple: false, title: gettext("Insert an image") }).then((result) => {
            if (!result) return
            insertBlock(editor, {
              type: this.name,
              attrs: { imageId: String(result.ids[0]), size: result.size, caption: result.caption },
            })
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "newsroomImage",
      groups: "media",
      button: buttons.material("add_photo_alternate", gettext("Insert an image from the library")),
      command(editor) {
        editor.commands.insertNewsroomImage()
      },
    })
  },
})

export const NewsroomGallery = Node.create({
  name: "newsroomGallery",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return {
      libraryUrl: "",
      uploadUrl: "",
      edit: (editor, node, update, options) =>
        pickImages(editor, options, {
          multiple: true,
          ids: node.attrs.imageIds.split(/\s+/).filter(Boolean).map(Number),
          size: node.attrs.size,
          caption: node.attrs.caption,
          title: gettext("Change the gallery"),
        }).then((result) => {
          if (result) update({ imageIds: result.ids.join(" "), size: result.size, caption: result.caption })
        }),
    }
  },

  addAttributes() {
    return {
      imageIds: attribute("data-gallery"),
      size: attribute("data-size", "wide"),
      caption: captionAttribute,
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-gallery]", priority: 60 }]
  },

  renderHTML({ node }) {
    const size = SIZE_NAMES.includes(node.attrs.size) ? node.attrs.size : "wide"
    return withCaption("figure", { "data-gallery": node.attrs.imageIds, "data-size": size }, node.attrs.caption)
  },

  addNodeView() {
    return nodeView((dom, node, options) => {
      dom.className = `nr-node nr-node-gallery nr-size-${node.attrs.size}`
      const ids = node.attrs.imageIds.split(/\s+/).filter(Boolean)
      dom.append(
        crel("span", {
          className: "nr-node-label",
          textContent: `${gettext("Gallery")} · ${ids.length} · ${node.attrs.size}`,
        }),
      )
      const grid = crel("div", { className: "nr-node-grid" })
      dom.append(grid)
      for (const id of ids) {
        const img = crel("img", { alt: "", width: 96, height: 96 })
        grid.append(img)
        imageSummary(options.libraryUrl, id).then((image) => {
          if (image) {
            img.src = image.thumbnail
            img.alt = image.alt
          }
        })
      }
      captionLine(dom, node.attrs.caption, "")
    })
  },

  addCommands() {
    return {
      insertNewsroomGallery:
        () =>
        ({ editor }) => {
          pickImages(editor, this.options, { multiple: true, size: "wide", title: gettext("Insert a gallery") }).then(
            (result) => {
              if (!result) return
              insertBlock(editor, {
                type: this.name,
                attrs: { imageIds: result.ids.join(" "), size: result.size, caption: result.caption },
              })
            },
          )
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "newsroomGallery",
      groups: "media",
      button: buttons.material("collections", gettext("Insert a gallery")),
      command(editor) {
        editor.commands.insertNewsroomGallery()
      },
    })
  },
})

const embedDialog = (editor, options, { url = "", caption = "", title }) => {
  const urlInput = crel("textarea", { name: "url", rows: 2, cols: 60, value: url })
  const captionInput = crel("input", { type: "text", name: "caption", value: caption })
  return openDialog(
    editor,
    title,
    [
      field(
        gettext("Address (or the provider's embed code)"),
        urlInput,
        gettext(
          "YouTube, Vimeo, X, Instagram, TikTok, Facebook, SoundCloud, Spotify, Datawrapper, Flourish, Google Maps, DocumentCloud",
        ),
      ),
      field(gettext("Caption"), captionInput),
    ],
    {
      submitText: url ? gettext("Update") : gettext("Insert"),
      onSubmit: async () => {
        const text = urlInput.value.trim()
        if (!text) throw new Error(gettext("Paste the address of what to embed."))
        const { data } = await fetchJSON(`${options.checkUrl}?${new URLSearchParams({ url: text })}`)
        if (data.embeddable) return { url: data.url, caption: captionInput.value.trim(), provider: data.provider }
        if (/^https?:\/\//i.test(text) && !/\s/.test(text)) {
          return { link: text, caption: captionInput.value.trim() }
        }
        throw new Error(gettext("That is not an address."))
      },
    },
  )
}

export const NewsroomEmbed = Node.create({
  name: "newsroomEmbed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return {
      checkUrl: "",
      edit: (editor, node, update, options) =>
        embedDialog(editor, options, {
          url: node.attrs.url,
          caption: node.attrs.caption,
          title: gettext("Change the embed"),
        }).then((result) => {
          if (result?.url) update({ url: result.url, caption: result.caption })
        }),
    }
  },

  addAttributes() {
    return { url: attribute("data-embed"), caption: captionAttribute }
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]", priority: 60 }]
  },

  renderHTML({ node }) {
    return withCaption("figure", { "data-embed": node.attrs.url }, node.attrs.caption)
  },

  addNodeView() {
    return nodeView((dom, node) => {
      dom.className = "nr-node nr-node-embed"
      dom.append(
        crel("span", { className: "nr-node-label", textContent: gettext("Embed (loads only when a reader clicks)") }),
        crel("p", { className: "nr-node-url", textContent: node.attrs.url }),
      )
      captionLine(dom, node.attrs.caption, "")
    })
  },

  addCommands() {
    return {
      insertNewsroomEmbed:
        () =>
        ({ editor }) => {
          embedDialog(editor, this.options, { title: gettext("Embed a video, post, chart or map") }).then((result) => {
            if (!result) return
            if (result.url) {
              insertBlock(editor, { type: this.name, attrs: { url: result.url, caption: result.caption } })
              return
            }
            // Not a known provider: a plain link, as the reader page would show it anyway.
            insertBlock(editor, {
              type: "paragraph",
              content: [
                {
                  type: "text",
                  text: result.caption || result.link,
                  marks: [{ type: "link", attrs: { href: result.link } }],
                },
              ],
            })
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "newsroomEmbed",
      groups: "media",
      button: buttons.material("smart_display", gettext("Embed a video, post, chart or map")),
      command(editor) {
        editor.commands.insertNewsroomEmbed()
      },
    })
  },
})

const pullQuoteDialog = (editor, { quote = "", attribution = "", title }) => {
  const quoteInput = crel("textarea", { name: "quote", rows: 4, cols: 60, value: quote })
  const attributionInput = crel("input", { type: "text", name: "attribution", value: attribution })
  return openDialog(
    editor,
    title,
    [
      field(gettext("Quote"), quoteInput, gettext("A blank line starts a new paragraph")),
      field(gettext("Who said it"), attributionInput),
    ],
    {
      submitText: quote ? gettext("Update") : gettext("Insert"),
      onSubmit: () => {
        if (!quoteInput.value.trim()) throw new Error(gettext("Write the quote."))
        return { quote: quoteInput.value.trim(), attribution: attributionInput.value.trim() }
      },
    },
  )
}

export const NewsroomPullQuote = Node.create({
  name: "newsroomPullQuote",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return {
      edit: (editor, node, update) =>
        pullQuoteDialog(editor, {
          quote: node.attrs.quote,
          attribution: node.attrs.caption,
          title: gettext("Change the pull quote"),
        }).then((result) => {
          if (result) update({ quote: result.quote, caption: result.attribution })
        }),
    }
  },

  addAttributes() {
    return {
      quote: {
        default: "",
        parseHTML: (element) =>
          [...element.querySelectorAll(":scope > blockquote > p")]
            .map((p) => p.textContent.trim())
            .filter(Boolean)
            .join("\n\n") || element.querySelector("blockquote")?.textContent.trim() || "",
        renderHTML: () => ({}),
      },
      caption: captionAttribute,
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-pullquote]", priority: 60 }]
  },

  renderHTML({ node }) {
    const paragraphs = node.attrs.quote
      .split(/\n\s*\n/)
      .map((text) => text.trim())
      .filter(Boolean)
      .map((text) => ["p", {}, text])
    return withCaption("figure", { "data-pullquote": "" }, node.attrs.caption).toSpliced(
      2,
      0,
      ["blockquote", {}, ...paragraphs],
    )
  },

  addNodeView() {
    return nodeView((dom, node) => {
      dom.className = "nr-node nr-node-pullquote"
      dom.append(
        crel("span", { className: "nr-node-label", textContent: gettext("Pull quote") }),
        crel("blockquote", { textContent: node.attrs.quote }),
      )
      captionLine(dom, node.attrs.caption, "")
    })
  },

  addCommands() {
    return {
      insertNewsroomPullQuote:
        () =>
        ({ editor }) => {
          pullQuoteDialog(editor, { title: gettext("Insert a pull quote") }).then((result) => {
            if (!result) return
            insertBlock(editor, { type: this.name, attrs: { quote: result.quote, caption: result.attribution } })
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "newsroomPullQuote",
      groups: "media",
      button: buttons.material("format_quote", gettext("Insert a pull quote")),
      command(editor) {
        editor.commands.insertNewsroomPullQuote()
      },
    })
  },
})
