// The maps: a proposal's point, a round's approved projects, and picking a point in the proposal form.
// Everything works without them: the list, the location text and the lat/lng fields are the content.
/* global L */
const NETHERLANDS = [52.15, 5.3]
const { leafletJs, leafletCss } = document.currentScript.dataset
let loading = null

// Leaflet comes when a map is drawn, not with the page: a map folded away in the form costs nothing until opened.
function leaflet() {
  loading ??= new Promise((resolve, reject) => {
    const style = document.createElement('link')
    style.rel = 'stylesheet'
    style.href = leafletCss
    const script = document.createElement('script')
    script.src = leafletJs
    script.addEventListener('load', resolve)
    script.addEventListener('error', reject)
    document.head.append(style, script)
  })
  return loading
}

function tiles(box, map) {
  const layer = L.tileLayer(box.dataset.tiles, {
    attribution: box.dataset.attribution,
    maxZoom: 19,
    // Plain pictures: no cookies and no address of the page go to the tile host.
    crossOrigin: 'anonymous',
    referrerPolicy: 'no-referrer',
  })
  const message = box.querySelector('.map__message')
  layer.on('tileerror', () => {
    message.textContent = message.dataset.failed
    message.hidden = false
  })
  layer.addTo(map)
}

function draw(box) {
  const canvas = box.querySelector('.map__canvas')
  canvas.hidden = false
  box.querySelector('.map__message').hidden = true
  const map = L.map(canvas, { keyboard: true, zoomControl: false, attributionControl: false })
  L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map)
  L.control.attribution({ prefix: false }).addTo(map)
  tiles(box, map)
  return map
}

const pin = (options) => L.divIcon({ className: 'map-pin', iconSize: [24, 24], iconAnchor: [12, 12], ...options })

// A marker that is a link to its proposal: focusable, named by the title, followed with Enter or a tap.
let LinkIcon = null
function linkIcon(href, label) {
  LinkIcon ??= L.Icon.extend({
    createIcon() {
      const link = document.createElement('a')
      link.href = this.options.href
      link.title = this.options.label
      link.setAttribute('aria-label', this.options.label)
      this._setIconStyles(link, 'icon')
      return link
    },
    createShadow: () => null,
  })
  return new LinkIcon({ className: 'map-pin', iconSize: [24, 24], iconAnchor: [12, 12], href, label })
}

function showPoints(box) {
  const map = draw(box)
  const items = document.getElementById(box.dataset.points).querySelectorAll('[data-lat]')
  const bounds = []
  for (const item of items) {
    const at = [Number(item.dataset.lat), Number(item.dataset.lng)]
    const icon = linkIcon(item.dataset.href, item.dataset.title)
    L.marker(at, { icon, keyboard: false }).addTo(map)
    bounds.push(at)
  }
  if (bounds.length > 0) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 })
  else map.setView(NETHERLANDS, 7)
}

function showOne(box) {
  const map = draw(box)
  const at = [Number(box.dataset.lat), Number(box.dataset.lng)]
  L.marker(at, { icon: pin(), keyboard: false, interactive: false }).addTo(map)
  map.setView(at, 16)
}

function pick(box) {
  const form = box.closest('form')
  const lat = form.querySelector('#lat')
  const lng = form.querySelector('#lng')
  const status = form.querySelector('.map-search__status')
  const map = draw(box)
  let marker = null
  const put = (at, zoom) => {
    lat.value = at.lat.toFixed(6)
    lng.value = at.lng.toFixed(6)
    if (marker) marker.setLatLng(at)
    else marker = L.marker(at, { icon: pin(), keyboard: false, interactive: false }).addTo(map)
    if (zoom) map.setView(at, zoom)
    // Isolated left to right, so an Arabic sentence keeps the pair in its order.
    status.textContent = `${status.dataset.set} \u2066${lat.value}, ${lng.value}\u2069`
  }
  const typed = () => {
    const at = [Number(lat.value.replace(',', '.')), Number(lng.value.replace(',', '.'))]
    return lat.value.trim() !== '' && lng.value.trim() !== '' && at.every(Number.isFinite) ? at : null
  }
  const start = typed()
  if (start) {
    map.setView(start, 16)
    marker = L.marker(start, { icon: pin(), keyboard: false, interactive: false }).addTo(map)
  } else map.setView(NETHERLANDS, 7)

  map.on('click', (event) => put(event.latlng))
  const actions = form.querySelector('[data-map-actions]')
  actions.hidden = false
  // With the keyboard: arrows move the map and + and - zoom; this puts the point in the middle.
  actions.querySelector('[data-map-centre]').addEventListener('click', () => put(map.getCenter()))
  actions.querySelector('[data-map-clear]').addEventListener('click', () => {
    lat.value = ''
    lng.value = ''
    marker?.remove()
    marker = null
    status.textContent = ''
  })
  search(form, put)
}

// The address search (PDOK Locatieserver's answer): a list of places to choose from.
function search(form, put) {
  const panel = form.querySelector('[data-map-search]')
  const input = panel.querySelector('input')
  const status = panel.querySelector('.map-search__status')
  const results = panel.querySelector('.map-search__results')
  panel.hidden = false
  const find = async () => {
    const q = input.value.trim()
    results.replaceChildren()
    if (q === '') return
    const url = new URL(input.dataset.geocoder)
    url.searchParams.set('q', q)
    url.searchParams.set('rows', '5')
    url.searchParams.set('fl', 'weergavenaam,centroide_ll')
    let docs
    try {
      const answer = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' })
      if (!answer.ok) throw new Error(String(answer.status))
      docs = (await answer.json()).response?.docs ?? []
    } catch {
      status.textContent = status.dataset.failed
      return
    }
    const places = docs.flatMap((doc) => {
      const found = /POINT\(([-\d.]+) ([-\d.]+)\)/.exec(doc.centroide_ll ?? '')
      return found ? [{ name: doc.weergavenaam, at: L.latLng(Number(found[2]), Number(found[1])) }] : []
    })
    status.textContent = places.length === 0 ? status.dataset.none : ''
    for (const place of places) {
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'link-button'
      button.textContent = place.name
      button.addEventListener('click', () => {
        results.replaceChildren()
        put(place.at, 17)
      })
      const item = document.createElement('li')
      item.append(button)
      results.append(item)
    }
    results.querySelector('button')?.focus()
  }
  panel.querySelector('[data-map-search-go]').addEventListener('click', find)
  // Enter searches instead of sending the whole proposal.
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return
    event.preventDefault()
    find()
  })
}

const KINDS = { points: showPoints, show: showOne, pick }

for (const box of document.querySelectorAll('[data-map]')) {
  const start = () =>
    leaflet().then(
      () => KINDS[box.dataset.map]?.(box),
      () => {
        const message = box.querySelector('.map__message')
        message.textContent = message.dataset.failed
      },
    )
  // A map in a folded part is drawn when it is opened: Leaflet needs to know its size.
  const folded = box.closest('details:not([open])')
  if (folded) folded.addEventListener('toggle', start, { once: true })
  else start()
}
