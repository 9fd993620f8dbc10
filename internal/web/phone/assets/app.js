// The witness's phone app. What an acta is — joining its QR parts, its
// format, its signatures, its figures — is decided by Go compiled to
// WebAssembly (check.wasm, the global `triplicate`); this file only
// finds codes in pixels (zxing-wasm), keeps things (IndexedDB) and talks
// to the party's collection server.
"use strict";

const words = {
  en: {
    title: "Witness", loading: "Loading…", scan: "Read an acta", photo: "Photo of the sheet",
    camera: "Camera", stop: "Stop camera", reset: "Start again", details: "Details", kept: "Kept on this phone",
    other: "Español",
    election: (name, id) => `Election: ${name} (${id})`,
    pin: "Definition SHA-256:",
    pinChanged: (a, b) => `The election definition changed: pin ${a.slice(0, 16)}… is now ${b.slice(0, 16)}….`,
    pinMismatch: (got, want) => `The election definition received does not match its pin (SHA-256 ${got.slice(0, 16)}…, pin ${want.slice(0, 16)}…): it was not used.`,
    noDef: "No election definition yet: open the app once with a connection to the party's server.",
    defBad: (e) => `The election definition does not read: ${e}`,
    offline: "Offline: using the definition kept on this phone.",
    reading: (file) => `Reading ${file}…`,
    noCode: (file) => `No QR code found in ${file}: take another photo, closer and still, with the whole code in the frame.`,
    whyCut: (file) => `No acta read from ${file}: a code is cut by the edge of the photo. Take it again with the whole sheet in the frame.`,
    whyBlurred: (file) => `No acta read from ${file}: too blurred. Hold still and let the camera focus.`,
    whySmall: (file) => `No acta read from ${file}: the codes are too small in the photo. Come closer.`,
    cameraView: "the camera",
    notOurs: (e) => `The codes found are not parts of an acta: ${e}`,
    // n is how many codes give the acta back, fewer than are printed:
    // the others are parity.
    partial: (h, n, e) => `${h} read${h < n ? `, ${n - h} more needed` : ""}. ` + (e ? `The codes do not form an acta: ${e}` : "Photograph another code."),
    progress: (h, n) => `${h} read, ${n - h} more needed`,
    valid: "Valid acta", invalid: "NOT valid",
    keptNew: "Kept on this phone.", keptAgain: "Already kept on this phone.",
    storageFull: "The phone's storage is full: this acta was NOT kept. Free some space and read it again.",
    keepFailed: (e) => `This acta was NOT kept: ${e}`,
    station: (s, k) => `Station ${s} · ${k}`,
    waiting: "waiting to be sent", sent: "sent to the party", dup: "the party already had it",
    refused: (r) => `refused by the party: ${r}`,
    sending: (n) => `Sending ${n}…`, sendFailed: (e) => `Not sent yet (${e}); it will be retried.`,
    allSent: "Everything kept has been sent.",
    cameraFailed: (e) => `The camera could not be opened: ${e}`,
    failed: (e) => `The photo could not be read: ${e}`,
    kinds: { zero: "zero count", final: "final count", hand: "hand count" },
    cosign: "Cosign this acta", keyTitle: "Your witness key", keyName: "Name of your key", keyMake: "Make my key",
    keyEnrolled: (who) => `Enrolled in this election as ${who}. Your party has this key; you can cosign.`,
    keyNotEnrolled: "Not enrolled in this election: give this key (the text or the code) to your party before election day.",
    keyBad: (e) => `The key was not made: ${e}`,
    noEd25519: (e) => `This browser cannot make Ed25519 keys (${e}): use another browser to cosign.`,
    cosigned: "Cosigned with your key.",
    compare: "Compare with the center", comparing: "Asking the center…",
    compareFailed: (e) => `Could not compare with the center: ${e}`,
    cosignFailed: (e) => `Not cosigned: ${e}`,
    deadline: (d) => `Deadline for every station's acta to be in the center's log: ${d}.`,
    announcedFailed: (e) => `Could not check the center's announced figures: ${e}`,
    figure: "Figure", figureOurs: "Signed copy", figureAnnounced: "Announced",
    figuresCaption: (s) => `Station ${s}: the signed copy beside the center's announcement`,
    announcedEvidence: "Save the center's signed announcement (the evidence)",
    unauthorized: (r) => `not taken by the party yet: ${r}`,
    unauthNoKey: "not taken by the party yet: it takes actas only from its witnesses' keys. Make your key below and give it to your party; the acta is sent then.",
    unauthKey: "not taken by the party yet: your key is not among those it enrolled. Give your key to your party; the acta is sent then.",
    notTaken: (n) => `${n} not taken by the party yet: see below.`,
  },
  es: {
    title: "Testigo", loading: "Cargando…", scan: "Leer un acta", photo: "Foto del acta",
    camera: "Cámara", stop: "Apagar cámara", reset: "Empezar de nuevo", details: "Detalles", kept: "Guardadas en este teléfono",
    other: "English",
    election: (name, id) => `Elección: ${name} (${id})`,
    pin: "SHA-256 de la definición:",
    pinChanged: (a, b) => `La definición de la elección cambió: el pin ${a.slice(0, 16)}… ahora es ${b.slice(0, 16)}….`,
    pinMismatch: (got, want) => `La definición recibida no coincide con su pin (SHA-256 ${got.slice(0, 16)}…, pin ${want.slice(0, 16)}…): no se usó.`,
    noDef: "Aún no hay definición de la elección: abra la aplicación una vez con conexión al servidor del partido.",
    defBad: (e) => `La definición de la elección no se puede leer: ${e}`,
    offline: "Sin conexión: se usa la definición guardada en este teléfono.",
    reading: (file) => `Leyendo ${file}…`,
    noCode: (file) => `No se encontró ningún código QR en ${file}: tome otra foto, más cerca y sin mover, con el código entero.`,
    whyCut: (file) => `No se leyó ningún acta de ${file}: un código queda cortado por el borde de la foto. Tómela otra vez con la hoja entera en el cuadro.`,
    whyBlurred: (file) => `No se leyó ningún acta de ${file}: demasiado borrosa. No mueva el teléfono y deje que la cámara enfoque.`,
    whySmall: (file) => `No se leyó ningún acta de ${file}: los códigos salen demasiado pequeños en la foto. Acérquese.`,
    cameraView: "la cámara",
    notOurs: (e) => `Los códigos encontrados no son partes de un acta: ${e}`,
    partial: (h, n, e) => `${h} ${h === 1 ? "leído" : "leídos"}${h < n ? (n - h === 1 ? ", falta 1" : `, faltan ${n - h}`) : ""}. ` + (e ? `Los códigos no forman un acta: ${e}` : "Fotografíe otro código."),
    progress: (h, n) => `${h} ${h === 1 ? "leído" : "leídos"}, ${n - h === 1 ? "falta 1" : `faltan ${n - h}`}`,
    valid: "Acta válida", invalid: "NO válida",
    keptNew: "Guardada en este teléfono.", keptAgain: "Ya estaba guardada en este teléfono.",
    storageFull: "El almacenamiento del teléfono está lleno: esta acta NO se guardó. Libere espacio y léala de nuevo.",
    keepFailed: (e) => `Esta acta NO se guardó: ${e}`,
    station: (s, k) => `Mesa ${s} · ${k}`,
    waiting: "por enviar", sent: "enviada al partido", dup: "el partido ya la tenía",
    refused: (r) => `rechazada por el partido: ${r}`,
    sending: (n) => `Enviando ${n}…`, sendFailed: (e) => `Aún no enviada (${e}); se reintentará.`,
    allSent: "Todo lo guardado fue enviado.",
    cameraFailed: (e) => `No se pudo abrir la cámara: ${e}`,
    failed: (e) => `No se pudo leer la foto: ${e}`,
    kinds: { zero: "acta de cero", final: "acta final", hand: "conteo manual" },
    cosign: "Firmar esta acta como testigo", keyTitle: "Su clave de testigo", keyName: "Nombre de su clave", keyMake: "Crear mi clave",
    keyEnrolled: (who) => `Registrada en esta elección como ${who}. Su partido tiene esta clave; puede firmar actas.`,
    keyNotEnrolled: "No está registrada en esta elección: entregue esta clave (el texto o el código) a su partido antes del día de la elección.",
    keyBad: (e) => `No se creó la clave: ${e}`,
    noEd25519: (e) => `Este navegador no puede crear claves Ed25519 (${e}): use otro navegador para firmar.`,
    cosigned: "Firmada con su clave.",
    compare: "Comparar con el centro", comparing: "Consultando al centro…",
    compareFailed: (e) => `No se pudo comparar con el centro: ${e}`,
    cosignFailed: (e) => `No se firmó: ${e}`,
    deadline: (d) => `Plazo para que el acta de cada mesa esté en el registro del centro: ${d}.`,
    announcedFailed: (e) => `No se pudieron comprobar las cifras anunciadas por el centro: ${e}`,
    figure: "Cifra", figureOurs: "Copia firmada", figureAnnounced: "Anunciada",
    figuresCaption: (s) => `Mesa ${s}: la copia firmada junto al anuncio del centro`,
    announcedEvidence: "Guardar el anuncio firmado por el centro (la prueba)",
    unauthorized: (r) => `el partido aún no la acepta: ${r}`,
    unauthNoKey: "el partido aún no la acepta: solo acepta actas de las claves de sus testigos. Cree su clave abajo y entréguela a su partido; el acta se enviará entonces.",
    unauthKey: "el partido aún no la acepta: su clave no está entre las que registró. Entregue su clave a su partido; el acta se enviará entonces.",
    notTaken: (n) => `${n} aún sin aceptar por el partido: vea abajo.`,
  },
};

let lang = (localStorage.getItem("lang") || navigator.language || "en").startsWith("es") ? "es" : "en";
const t = (key, ...args) => { const w = words[lang][key]; return typeof w === "function" ? w(...args) : w; };
const $ = (id) => document.getElementById(id);

// say sets an element's text to a message, remembered so that a change of
// language rewrites it; extra is text that is not translated (a Go error).
function say(el, cls, key, ...args) {
  el._msg = key ? [key, args] : null;
  el.textContent = key ? t(key, ...args) : "";
  el.className = cls;
}
function resay() {
  for (const el of document.querySelectorAll("#progress, #keep, #send-status, #key-status, #key-who, #cosign-status")) {
    if (el._msg) el.textContent = t(el._msg[0], ...el._msg[1]);
  }
}

// --- storage -------------------------------------------------------------

let dbPromise;
function db() {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open("triplicate-witness", 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore("meta");
      req.result.createObjectStore("actas", { keyPath: "sha256" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbPromise;
}
async function tx(store, mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const x = d.transaction(store, mode);
    const req = fn(x.objectStore(store));
    x.oncomplete = () => resolve(req && req.result);
    x.onerror = () => reject(x.error);
    x.onabort = () => reject(x.error || new DOMException("aborted", "AbortError"));
  });
}
const getMeta = (k) => tx("meta", "readonly", (s) => s.get(k));
const putMeta = (k, v) => tx("meta", "readwrite", (s) => s.put(v, k));
const allActas = () => tx("actas", "readonly", (s) => s.getAll());
const getActa = (k) => tx("actas", "readonly", (s) => s.get(k));
const putActa = (v) => tx("actas", "readwrite", (s) => s.put(v));

// --- the Go side -----------------------------------------------------------

const goReady = (async () => {
  const ready = new Promise((resolve) => addEventListener("triplicate-ready", resolve, { once: true }));
  // Sent compressed (brotli over HTTPS) and decoded by the browser: what
  // arrives here, from the network or the service worker's cache, is the
  // WebAssembly as built. The bytes, not a stream: any host's Content-Type.
  const resp = await fetch("check.wasm");
  if (!resp.ok) throw new Error(`check.wasm: ${resp.status}`);
  const wasm = await resp.arrayBuffer();
  const go = new Go();
  const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance);
  await ready;
  return globalThis.triplicate;
})();

async function sha256hex(bytes) {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
}

// --- the election definition, pinned -------------------------------------

let definition = null; // Uint8Array of the pinned definition

async function loadDefinition() {
  const tp = await goReady;
  let stored = await getMeta("definition");
  const notes = [];
  try {
    const pin = await (await fetch("pin.json", { cache: "no-store" })).json();
    center = !!pin.center;
    if (!stored || stored.sha256 !== pin.sha256) {
      const bytes = new Uint8Array(await (await fetch("definition.txt", { cache: "no-store" })).arrayBuffer());
      const got = await sha256hex(bytes);
      if (got !== pin.sha256) {
        notes.push(["error", "pinMismatch", got, pin.sha256]);
      } else {
        if (stored) notes.push(["", "pinChanged", stored.sha256, pin.sha256]);
        stored = { sha256: got, bytes };
        await putMeta("definition", stored);
      }
    }
  } catch (e) {
    if (stored) notes.push(["", "offline"]);
  }
  if (!stored) {
    notes.push(["error", "noDef"]);
    showDefinition(null, notes);
    return;
  }
  const d = tp.definition(stored.bytes);
  if (!d.ok) {
    notes.push(["error", "defBad", d.error]);
    showDefinition(null, notes);
    return;
  }
  definition = stored.bytes;
  showDefinition(d, notes);
}

let defShown = { d: null, notes: [] };
function showDefinition(d, notes) {
  defShown = { d, notes };
  const p = $("def-status");
  p.replaceChildren();
  if (d) p.append(t("election", d.name, d.id));
  if (d && d.deadline) {
    const s = document.createElement("span");
    s.className = "note";
    s.id = "deadline";
    s.textContent = " " + t("deadline", d.deadline);
    p.append(s);
  }
  for (const [cls, key, ...args] of notes) {
    const s = document.createElement("span");
    s.className = "note " + cls;
    s.textContent = " " + t(key, ...args);
    p.append(s);
  }
  $("pin").textContent = d ? `${t("pin")} ${d.sha256}` : "";
}

// --- reading codes --------------------------------------------------------

let parts = new Map(); // payload as a latin1 string → Uint8Array
let photo = null;      // the last image a part was read from

function latin1(bytes) { let s = ""; for (const b of bytes) s += String.fromCharCode(b); return s; }

async function readCodes(image) {
  const results = await ZXingWASM.readBarcodes(image, {
    formats: ["QRCode"], tryHarder: true, tryRotate: true, tryInvert: false, maxNumberOfSymbols: 16,
  });
  return results.filter((r) => r.isValid && r.bytes && r.bytes.length > 0).map((r) => r.bytes);
}

// scanWhy returns the message key for why no code was read from an image
// (a Blob or ImageData), with the rules and thresholds of `acta scan`
// (internal/qr/diagnose.go): codes located but under 1.6 pixels a module
// are too small; print running off an edge of the frame (the light and dark
// of a code or of text, not a table or a margin) is a cut; a sharpness
// (the variance of the Laplacian over the image's own) under 0.005 is a
// blur; else no code.
async function scanWhy(image) {
  try {
    let px = image;
    if (!(image instanceof ImageData)) {
      const bmp = await createImageBitmap(image);
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      c.getContext("2d").drawImage(bmp, 0, 0);
      px = c.getContext("2d").getImageData(0, 0, bmp.width, bmp.height);
    }
    const located = await ZXingWASM.readBarcodes(px, { formats: ["QRCode"], tryHarder: true, returnErrors: true });
    const side = (p) => Math.hypot(p.topRight.x - p.topLeft.x, p.topRight.y - p.topLeft.y);
    // The smallest code a sheet carries has 57 modules a side (version 10).
    if (located.length > 0 && located.every((r) => side(r.position) < 57 * 1.6)) return "whySmall";
    const w = px.width, h = px.height, d = px.data;
    const g = new Uint8Array(w * h);
    for (let i = 0; i < w * h; i++) g[i] = (d[4 * i] + 2 * d[4 * i + 1] + d[4 * i + 2]) >> 2;
    let mean = 0;
    for (const v of g) mean += v;
    mean /= g.length;
    // Along each edge, 2 pixels in: a stretch of a twentieth of it that
    // changes from light to dark at least every 8 pixels is print cut off.
    const edges = [[0, 2, 1, 0, w], [0, h - 3, 1, 0, w], [2, 0, 0, 1, h], [w - 3, 0, 0, 1, h]];
    for (const [x0, y0, dx, dy, n] of edges) {
      const run = Math.max(40, Math.floor(n / 20));
      let flips = [], last = g[y0 * w + x0] > mean;
      for (let i = 1; i < n; i++) {
        const light = g[(y0 + i * dy) * w + x0 + i * dx] > mean;
        if (light !== last) flips.push(i);
        last = light;
      }
      for (let k = 0; k + run / 8 < flips.length; k++) {
        if (flips[k + Math.floor(run / 8)] - flips[k] <= run) return "whyCut";
      }
    }
    // Blur is judged at 1,600 px on the long side, as acta scan judges
    // it: measured per pixel, a large sharp photo would read as blurred.
    let bg = g, bw = w, bh = h;
    if (Math.max(w, h) > 1600) {
      const k = 1600 / Math.max(w, h);
      bw = Math.max(3, Math.round(w * k));
      bh = Math.max(3, Math.round(h * k));
      const c = new OffscreenCanvas(bw, bh), cx = c.getContext("2d");
      cx.imageSmoothingQuality = "high";
      cx.drawImage(await createImageBitmap(px), 0, 0, bw, bh);
      const bd = cx.getImageData(0, 0, bw, bh).data;
      bg = new Uint8Array(bw * bh);
      for (let i = 0; i < bw * bh; i++) bg[i] = (bd[4 * i] + 2 * bd[4 * i + 1] + bd[4 * i + 2]) >> 2;
    }
    let n = 0, s = 0, s2 = 0, l = 0, l2 = 0;
    for (let y = 1; y < bh - 1; y++) {
      for (let x = 1; x < bw - 1; x++) {
        const i = y * bw + x, v = bg[i];
        const lap = bg[i - 1] + bg[i + 1] + bg[i - bw] + bg[i + bw] - 4 * v;
        n++; s += v; s2 += v * v; l += lap; l2 += lap * lap;
      }
    }
    const vv = s2 / n - (s / n) ** 2, lv = l2 / n - (l / n) ** 2;
    if (vv >= 25 && lv / vv < 0.005) return "whyBlurred";
  } catch (e) {
    // An image the browser cannot decode says nothing more.
  }
  return "noCode";
}

// started is when the image that may complete an acta was given: the
// time to the verdict on screen, decoding included, is kept in
// body[data-verdict-ms] (the browser test reports it).
let started = 0;

async function addImage(image, name) {
  setProgress("", "reading", name);
  started = performance.now();
  const codes = await readCodes(image);
  if (codes.length === 0) {
    setProgress("error", await scanWhy(image), name);
    return false;
  }
  let added = false;
  for (const c of codes) {
    const k = latin1(c);
    if (!parts.has(k)) { parts.set(k, c); added = true; }
  }
  if (added) photo = image instanceof Blob ? image : photo;
  return tryJoin();
}

let lastJoined = null;
async function tryJoin() {
  const tp = await goReady;
  const j = tp.join([...parts.values()]);
  if (!j.ok) {
    if (j.count) {
      setProgress(j.missing ? "" : "error", "partial", j.have, j.count, j.missing ? "" : j.error);
    } else {
      setProgress("error", "notOurs", j.error);
    }
    return false;
  }
  const n = parts.size;
  setProgress("", "progress", n, n);
  const sum = await sha256hex(j.acta);
  if (sum === lastJoined) return true;
  lastJoined = sum;
  await checkAndKeep(j.acta);
  return true;
}

function setProgress(cls, key, ...args) { say($("progress"), cls, key, ...args); }

// --- checking and keeping -------------------------------------------------

let shown = null;
let shownActa = null;
async function checkAndKeep(actaBytes) {
  const tp = await goReady;
  if (!definition) { setProgress("error", "noDef"); return; }
  const result = JSON.parse(tp.open(definition, actaBytes));
  shown = result;
  shownActa = actaBytes;
  showResult();
  requestAnimationFrame(() => { document.body.dataset.verdictMs = (performance.now() - started).toFixed(0); });
  const keep = $("keep");
  try {
    const before = await getActa(result.sha256);
    if (before) {
      say(keep, "keep", "keptAgain");
    } else {
      await putActa({ sha256: result.sha256, acta: actaBytes, photo, time: new Date().toISOString(), result, state: result.ok ? "waiting" : "invalid" });
      say(keep, "keep", "keptNew");
    }
  } catch (e) {
    if (e && e.name === "QuotaExceededError") say(keep, "keep error", "storageFull");
    else say(keep, "keep error", "keepFailed", String(e));
  }
  await showKept();
  sendAll();
}

function showResult() {
  if (!shown) return;
  const sec = $("result");
  sec.hidden = false;
  sec.className = shown.ok ? "ok" : "bad";
  $("verdict-title").textContent = shown.ok ? t("valid") : t("invalid");
  $("verdict").textContent = shown.verdict[lang];
  $("detail").textContent = JSON.stringify(shown, null, 1);
  $("cosign").hidden = !(shown.ok && witness && witness.enrolled);
}

async function showKept() {
  const list = $("kept-list");
  const items = (await allActas()).sort((a, b) => b.time.localeCompare(a.time));
  list.replaceChildren(...items.map((a) => {
    const li = document.createElement("li");
    li.dataset.sha256 = a.sha256;
    li.dataset.state = a.state;
    if (a.photo) {
      const img = document.createElement("img");
      img.alt = "";
      img.src = URL.createObjectURL(a.photo);
      li.append(img);
    }
    const title = document.createElement("strong");
    title.textContent = a.result.ok ? t("station", a.result.station, words[lang].kinds[a.result.actaKind] || a.result.actaKind) : t("invalid");
    const v = document.createElement("span");
    v.textContent = " " + a.result.verdict[lang];
    const st = document.createElement("span");
    st.className = "state";
    st.textContent = `${a.time.replace("T", " ").slice(0, 19)} · ${a.state === "refused" ? t("refused", a.reason) : a.state === "unauthorized" ? unauthorized(a) : a.state === "invalid" ? t("invalid") : t(a.state)}`;
    li.append(title, v, st);
    if (a.comparison) {
      li.dataset.compare = a.comparison.status;
      const cmp = document.createElement("span");
      cmp.className = "compare " + compareClass(a.comparison.status);
      cmp.textContent = a.comparison.verdict ? a.comparison.verdict[lang] : t("compareFailed", a.comparison.error);
      li.append(cmp);
    }
    if (a.announced) li.append(...showAnnounced(li, a, a.announced));
    if (a.announcedAlarm) li.append(...showAnnounced(li, a, a.announcedAlarm));
    if (center && a.result.ok) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "compare-button";
      b.textContent = t("compare");
      b.addEventListener("click", () => compare(a.sha256));
      li.append(b);
    }
    return li;
  }));
}

// unauthorized says why the party did not take an acta: in the witness's
// words when the phone knows why, else the server's.
function unauthorized(a) {
  return a.auth === "nokey" ? t("unauthNoKey") : a.auth === "notenrolled" ? t("unauthKey") : t("unauthorized", a.reason);
}

// compareClass is how a comparison's status looks: the same, not yet
// there, or an alarm (which "could not check" is too: never "same").
function compareClass(status) {
  return status === "same" ? "same" : status === "missing" || status === "unannounced" ? "pending" : "alarm";
}

// showAnnounced shows an announcement of the center's for a kept acta (the
// latest, or an earlier one that differed and stays the evidence): the
// verdict, and when they differ the figures side by side and the center's
// signed announcement, kept with the acta, to save as the evidence.
function showAnnounced(li, a, an) {
  if (an === a.announced || an.status === "differs") li.dataset.announced = an.status;
  const v = document.createElement("span");
  v.className = "compare announced " + compareClass(an.status);
  v.textContent = an.verdict ? an.verdict[lang] : t("announcedFailed", an.error);
  if (an.status !== "differs" || !an.figures) return [v];
  const table = document.createElement("table");
  table.className = "figures";
  const cap = table.createCaption();
  cap.textContent = t("figuresCaption", a.result.station);
  const head = table.createTHead().insertRow();
  for (const k of ["figure", "figureOurs", "figureAnnounced"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = t(k);
    head.append(th);
  }
  const body = table.createTBody();
  for (const f of an.figures) {
    const row = body.insertRow();
    if (f.ours !== f.announced) row.className = "differs";
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = f.what[lang];
    row.append(th);
    row.insertCell().textContent = f.ours ?? "—";
    row.insertCell().textContent = f.announced ?? "—";
  }
  const save = document.createElement("a");
  save.className = "evidence";
  save.textContent = t("announcedEvidence");
  save.download = `${a.result.station}.announced.note`;
  save.href = "data:text/plain;charset=utf-8," + encodeURIComponent(an.raw);
  return [v, table, save];
}

// --- the witness's key and cosigning --------------------------------------

// witness is {name, vkey, publicKey (raw bytes), privateKey (a CryptoKey that
// cannot be exported), enrolled}, kept in IndexedDB: the private key never
// leaves the browser's key store.
let witness = null;

async function loadKey() {
  witness = (await getMeta("witnessKey")) || null;
  await showKey();
}

async function showKey() {
  const tp = await goReady;
  $("key-new").hidden = !!witness || !definition;
  $("key-shown").hidden = !witness;
  if (!witness) {
    if (definition && !$("key-name").value) $("key-name").value = tp.definition(definition).id + "/witness/";
    return;
  }
  const k = definition ? tp.witnessKey(definition, witness.name, witness.publicKey) : { ok: false };
  witness.enrolled = k.ok && k.who !== "";
  if (witness.enrolled) say($("key-who"), "", "keyEnrolled", k.who.replace(/^a witness of party /, ""));
  else say($("key-who"), "error", "keyNotEnrolled");
  $("key-text").textContent = witness.vkey;
  const q = tp.qr(witness.vkey);
  if (q.ok) {
    const scale = 4, quiet = 4, n = q.modules.length;
    const c = $("key-qr");
    c.width = c.height = (n + 2 * quiet) * scale;
    const g = c.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = "#000";
    q.modules.forEach((row, y) => { for (let x = 0; x < n; x++) if (row[x] === "1") g.fillRect((x + quiet) * scale, (y + quiet) * scale, scale, scale); });
  }
  showResult();
}

async function makeKey() {
  const tp = await goReady;
  const name = $("key-name").value.trim();
  let pair;
  try {
    pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
  } catch (e) {
    say($("key-status"), "error", "noEd25519", e.message);
    return;
  }
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const k = tp.witnessKey(definition, name, publicKey);
  if (!k.ok) {
    say($("key-status"), "error", "keyBad", k.error);
    return;
  }
  witness = { name, vkey: k.vkey, publicKey, privateKey: pair.privateKey };
  try {
    await putMeta("witnessKey", witness);
  } catch (e) {
    say($("key-status"), "error", "keyBad", String(e));
    witness = null;
    return;
  }
  say($("key-status"), "", "");
  await showKey();
}

async function cosign() {
  const tp = await goReady;
  const status = $("cosign-status");
  const b = tp.body(definition, shownActa);
  if (!b.ok) { say(status, "error", "cosignFailed", b.error); return; }
  let sig;
  try {
    sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, witness.privateKey, b.body));
  } catch (e) {
    say(status, "error", "cosignFailed", e.message);
    return;
  }
  const c = tp.cosign(definition, shownActa, witness.vkey, sig);
  if (!c.ok) { say(status, "error", "cosignFailed", c.error); return; }
  say(status, "", "cosigned");
  await checkAndKeep(c.acta);
}

// --- comparing with the center ------------------------------------------------

// center is whether the party's server relays the tallying center's answers
// (pin.json says so); the app checks every one of them in Go (check.Compare).
let center = false;

async function getBytes(url) {
  const resp = await fetch(url, { cache: "no-store" });
  if (!resp.ok) throw new Error(`${url}: ${resp.status} ${(await resp.text()).trim()}`);
  return new Uint8Array(await resp.arrayBuffer());
}

async function compare(sha256) {
  const tp = await goReady;
  const a = await getActa(sha256);
  if (!a || !definition) return;
  const status = $("send-status");
  say(status, "", "comparing");
  let checkpoint = null;
  try {
    const station = await getBytes(`center/v1/stations/${encodeURIComponent(a.result.station)}`);
    const entries = JSON.parse(new TextDecoder().decode(station)).actas || [];
    const receipts = [];
    for (const e of entries) {
      if (e.kind === a.result.actaKind) receipts.push(await getBytes(`center/v1/receipts/${e.index}`));
    }
    checkpoint = await getBytes("center/log/checkpoint").catch(() => null);
    const before = a.comparison && a.comparison.status ? JSON.stringify(a.comparison) : null;
    const c = JSON.parse(tp.compare(definition, a.acta, station, receipts, checkpoint, before));
    // A comparison that fails keeps the one before, and its evidence.
    if (c.error && before) throw new Error(c.error);
    a.comparison = c;
    say(status, "", "");
  } catch (e) {
    say(status, "error", "compareFailed", e.message);
    return;
  }
  if (a.result.actaKind === "final") {
    // A signed announcement that differed stays the evidence, whatever the
    // center announces later: it cannot unsay it.
    const before = a.announced;
    a.announced = await compareAnnounced(tp, a, checkpoint);
    const alarm = before?.status === "differs" || before?.status === "split";
    if (alarm && a.announced.status !== before.status) a.announcedAlarm = before;
  }
  await putActa(a);
  await showKept();
}

// compareAnnounced fetches the center's signed announcement of the acta's
// station (through the party's server) and holds it against the acta in Go,
// which checks the center's signature first; a 404 is the center's
// (unsigned) answer that it has announced none, given to Go as nothing;
// an announcement that cannot be fetched is "could not check". Where the
// log's checkpoint was fetched, Go also holds the announcement's log root
// to it.
async function compareAnnounced(tp, a, checkpoint) {
  try {
    const url = `center/v1/announced/${encodeURIComponent(a.result.station)}`;
    const resp = await fetch(url, { cache: "no-store" });
    if (!resp.ok && resp.status !== 404) throw new Error(`${url}: ${resp.status} ${(await resp.text()).trim()}`);
    const an = resp.status === 404 ? new Uint8Array(0) : new Uint8Array(await resp.arrayBuffer());
    return JSON.parse(tp.announced(definition, a.acta, an, checkpoint));
  } catch (e) {
    return { status: "unchecked", error: e.message };
  }
}

// --- sending to the party -------------------------------------------------

let sending = false;
async function sendAll() {
  if (sending || !navigator.onLine) return;
  sending = true;
  const status = $("send-status");
  try {
    // Those the party did not take for want of an enrolled key are tried
    // again: the key may be enrolled since.
    const waiting = (await allActas()).filter((a) => a.state === "waiting" || a.state === "unauthorized");
    for (const a of waiting) {
      say(status, "", "sending", a.result.station);
      let resp;
      try {
        resp = await fetch("actas", { method: "POST", headers: await uploadHeaders(a.acta), body: a.acta });
      } catch (e) {
        say(status, "", "sendFailed", e.message);
        return;
      }
      const answer = await resp.json().catch(() => ({}));
      if (resp.status === 201) a.state = "sent";
      else if (resp.status === 409) a.state = "dup";
      else if (resp.status === 401 || (resp.status === 403 && /did not enrol/.test(answer.error || ""))) {
        a.state = "unauthorized";
        a.reason = answer.error || resp.statusText;
        a.auth = !witness ? "nokey" : resp.status === 403 ? "notenrolled" : "";
      }
      else if (resp.status === 422 || resp.status === 403 || resp.status === 400) { a.state = "refused"; a.reason = answer.error || resp.statusText; }
      else { say(status, "", "sendFailed", String(resp.status)); return; }
      await putActa(a);
    }
    const notTaken = waiting.filter((a) => a.state === "unauthorized").length;
    if (notTaken) say(status, "error", "notTaken", notTaken);
    else if (waiting.length) say(status, "", "allSent");
  } finally {
    sending = false;
    await showKept();
  }
  // Once online, each valid acta not yet compared with the center is.
  if (center) {
    for (const a of await allActas()) {
      if (a.result.ok && !a.comparison && (a.state === "sent" || a.state === "dup")) await compare(a.sha256);
    }
  }
}

// uploadHeaders signs an upload with the witness's key, if the phone has
// one: the party's server takes actas only from the keys it enrolled, each
// upload once (check.UploadMessage says what is signed).
async function uploadHeaders(acta) {
  const h = { "Content-Type": "text/plain; charset=utf-8" };
  if (!witness || !definition) return h;
  const tp = await goReady;
  const unix = Math.floor(Date.now() / 1000);
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18)))).replace(/\+/g, "-").replace(/\//g, "_");
  const m = tp.uploadMessage(definition, acta, unix, nonce);
  if (!m.ok) return h;
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, witness.privateKey, m.message));
  h["Triplicate-Key"] = witness.vkey;
  h["Triplicate-Time"] = String(unix);
  h["Triplicate-Nonce"] = nonce;
  h["Triplicate-Signature"] = btoa(String.fromCharCode(...sig));
  return h;
}

// --- the camera ------------------------------------------------------------

let stream = null;
async function camera() {
  if (stream) { stopCamera(); return; }
  const video = $("video");
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment", width: { ideal: 1920 } } });
  } catch (e) {
    setProgress("error", "cameraFailed", e.message);
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  $("camera").textContent = t("stop");
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let empty = 0; // frames in a row with no code
  while (stream) {
    if (video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      started = performance.now();
      const frame = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const codes = await readCodes(frame);
      // Every 8th frame in a row with no code, say why, if it can be told.
      empty = codes.length ? 0 : empty + 1;
      if (empty % 8 === 7) {
        const why = await scanWhy(frame);
        if (why !== "noCode") setProgress("", why, t("cameraView"));
      }
      let added = false;
      for (const c of codes) {
        const k = latin1(c);
        if (!parts.has(k)) { parts.set(k, c); added = true; }
      }
      if (added) {
        photo = await new Promise((r) => canvas.toBlob(r, "image/jpeg", 0.85));
        if (await tryJoin()) { stopCamera(); return; }
      }
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
function stopCamera() {
  if (stream) stream.getTracks().forEach((tr) => tr.stop());
  stream = null;
  $("video").hidden = true;
  $("camera").textContent = t("camera");
}

// --- the page ---------------------------------------------------------------

async function translate() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  $("lang").textContent = t("other");
  if (stream) $("camera").textContent = t("stop");
  showDefinition(defShown.d, defShown.notes);
  showResult();
  resay();
  await showKept();
  document.body.dataset.lang = lang;
}

function reset() {
  parts = new Map();
  photo = null;
  lastJoined = null;
  shown = null;
  setProgress("", "");
  $("result").hidden = true;
  say($("keep"), "", "");
  say($("cosign-status"), "", "");
}

addEventListener("DOMContentLoaded", async () => {
  ZXingWASM.prepareZXingModule({ overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? new URL(path, location.href).href : prefix + path) } });
  $("lang").addEventListener("click", () => { lang = lang === "es" ? "en" : "es"; localStorage.setItem("lang", lang); translate(); });
  $("photo").addEventListener("change", async (ev) => {
    for (const f of ev.target.files) {
      try { await addImage(f, f.name); } catch (e) { setProgress("error", "failed", String(e)); }
    }
    ev.target.value = "";
  });
  $("camera").addEventListener("click", camera);
  $("reset").addEventListener("click", reset);
  $("key-make").addEventListener("click", makeKey);
  $("cosign").addEventListener("click", cosign);
  addEventListener("online", sendAll);
  setInterval(sendAll, 30000); // navigator.onLine says little: a server down looks online
  await translate();
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js").catch((e) => { document.body.dataset.serviceWorker = String(e); });
  try { await loadDefinition(); } catch (e) { showDefinition(null, [["error", "defBad", String(e)]]); }
  await loadKey();
  document.body.dataset.ready = "true";
  sendAll();
});
