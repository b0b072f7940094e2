// The step-by-step lab's board: Play / Pause / Step / Reset, the epoch, the network drawn unit by
// unit, every activation's output, the loss curves and the tables. It trains with
// StepwiseEngine (engine.js, prepended to this module by runtime/stepwise/__init__.py) in this
// browser; the server sends the set-up once (``data.setup``) and hears back only a summary when
// the run pauses (state ``summary``).
const E = StepwiseEngine;
const BOARDS = new WeakMap();
const SPEED = 60;  // epochs a second while playing, where the machine keeps up
const TRAIN_MS = 16;  // the most a frame spends training beyond its first epoch  // parentElement → its board (the function runs again when data change)

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  children.forEach((c) => e.append(c));
  return e;
}
const fmt = (v, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : "–");
function hexRgb(h) { const n = parseInt(h.slice(1), 16); return [(n >> 16) & 255, (n >> 8) & 255, n & 255]; }
function mix(a, b, t) { return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)); }

class Board {
  constructor(root, component) {
    this.root = root;
    this.component = component;
    this.playing = false;
    this.frame = null;
    this.frames = 0;   // redraws, for the bench
    this.built = false;
    root.append(this.dom = this.build());
    this.width = 600;  // the board's width in CSS pixels, from the observer (reading it in draw would force a layout)
    this.resize = new ResizeObserver((entries) => {
      const w = entries[entries.length - 1].contentRect.width;
      if (w && Math.abs(w - this.width) > 1) { this.width = w; this.draw(); }
    });
    this.resize.observe(this.dom);
  }

  build() {
    const b = (cls, text, label) => el("button", { class: cls, type: "button", text, "aria-label": label || text });
    this.playBtn = b("play primary", "▶ Play", "Play");
    this.stepBtn = b("step", "Step one epoch");
    this.resetBtn = b("reset", "↺ Reset", "Reset");
    this.epochEl = el("span", { class: "epoch", role: "status", "aria-live": "off", text: "Epoch 0" });
    this.pick = el("select", { class: "pick", "aria-label": "Network drawn" });
    this.playBtn.onclick = () => this.setPlaying(!this.playing);
    this.stepBtn.onclick = () => { if (!this.playing) { this.train(1); this.draw(); this.report(); } };
    this.resetBtn.onclick = () => { this.setPlaying(false, false); this.start(this.setup); this.draw(); this.report(); };
    this.pick.onchange = () => { this.view = this.pick.selectedIndex; this.draw(); };
    const bar = el("div", { class: "bar", role: "toolbar", "aria-label": "Training" }, this.playBtn, this.stepBtn,
                   this.resetBtn, this.epochEl, el("label", { class: "picklabel" }, "Network drawn ", this.pick));
    this.warn = el("p", { class: "warn", role: "alert" });
    this.warn.hidden = true;
    this.netCanvas = el("canvas", { class: "net", role: "img" });
    this.tip = el("div", { class: "tip", role: "tooltip" });
    this.tip.hidden = true;
    this.netCanvas.addEventListener("mousemove", (ev) => this.hover(ev));
    this.netCanvas.addEventListener("mouseleave", () => { this.tip.hidden = true; });
    this.thumbs = el("div", { class: "thumbs" });
    this.curves = el("canvas", { class: "curves", role: "img" });
    this.legend = el("ul", { class: "legend" });
    this.readout = el("table", { class: "readout" });
    this.units = el("table", { class: "units" });
    this.unitsSummary = el("summary", { text: "Every unit of the network drawn" });
    return el("div", { class: "lab" }, bar, this.warn,
      el("div", { class: "main" },
        el("figure", { class: "netfig" }, el("div", { class: "netwrap" }, this.netCanvas, this.tip),
           el("figcaption", { class: "caption" })),
        el("div", { class: "side" }, this.thumbs,
           el("figure", {}, this.curves, this.legend), this.readout)),
      el("details", {}, this.unitsSummary, el("div", { class: "scroll" }, this.units)));
  }

  /** New data from the server: a new set-up starts new networks, paused at epoch 0; the same set-up
   * only takes the live settings (learning rate, regularisation, how the output is shown). */
  update(data) {
    this.data = data;
    const pal = data.palette;
    this.pal = { neg: hexRgb(pal.negative), zero: hexRgb(pal.zero), pos: hexRgb(pal.positive),
                 classes: pal.classes.map(hexRgb), dead: pal.dead, text: pal.text, lines: pal.lines };
    this.lut = Array.from({ length: 513 }, (_, i) => {
      const t = i / 256 - 1;
      return t < 0 ? mix(this.pal.zero, this.pal.neg, -t) : mix(this.pal.zero, this.pal.pos, t);
    });
    this.pointLayers = new Map();
    for (const [k, v] of Object.entries({ "--focus": pal.focus, "--primary": pal.primary, "--text": pal.text }))
      this.dom.style.setProperty(k, v);
    if (!this.lab || this.setup.id !== data.setup.id) { this.setPlaying(false, false); this.start(data.setup); }
    this.live();
    this.draw();
  }

  start(setup) {
    this.setup = setup;
    this.lab = new E.Lockstep({ ...setup, ...this.liveOpt() });
    this.live();
    const names = setup.activations.map((a) => a.name);
    this.pick.replaceChildren(...names.map((n) => el("option", { text: n })));
    this.view = Math.max(0, setup.activations.findIndex((a) => a.slug === this.data.live.view));
    this.pick.selectedIndex = this.view;
    this.thumbs.replaceChildren(...setup.activations.map((a) => el("figure", { class: "thumb" },
      el("canvas", { role: "img", "aria-label": `${a.name}: output over the plane` }), el("figcaption", { text: a.name }))));
  }

  liveOpt() {
    const l = this.data.live;
    return { lr: l.lr, reg: l.reg, reg_rate: l.reg_rate };
  }

  live() {
    const l = this.data.live;
    Object.assign(this.lab.opt, { lr: l.lr, reg: l.reg, rate: l.reg_rate });
  }

  get finished() { return this.lab.epoch >= this.data.max_epochs; }

  setPlaying(on, report = true) {
    if (on && this.finished) return;
    this.playing = on;
    this.playBtn.textContent = on ? "Pause" : "▶ Play";  // no ⏸: the app's font has no such glyph (an empty box)
    this.playBtn.setAttribute("aria-label", on ? "Pause" : "Play");
    this.stepBtn.disabled = on;
    this.clock = undefined;
    if (on && this.frame === null) this.frame = requestAnimationFrame(() => this.tick());
    if (!on && report) this.report();
  }

  /** While playing: one redraw per animation frame (the screen's rate), and the epochs that keep
   * the run at SPEED epochs a second: one a frame on a 60 Hz screen, more where frames come
   * slower, as long as training leaves the frame half its time (TRAIN_MS) for drawing. */
  tick() {
    this.frame = null;
    if (!this.playing || !this.root.isConnected) return;
    const now = performance.now();
    if (this.clock === undefined || now - this.clock.at > 1000) this.clock = { at: now, done: 0 };  // (re)start the schedule
    const due = Math.max(1, Math.floor((now - this.clock.at) / 1000 * SPEED) - this.clock.done);
    let done = 0;
    while (done < due && !this.finished && (done === 0 || performance.now() - now < TRAIN_MS)) { this.lab.epochOnce(); done++; }
    this.clock.done += done;
    if (now - this.clock.at > 500) this.clock = { at: now, done: 0 };
    this.draw();
    if (this.finished) { this.setPlaying(false); return; }
    this.frame = requestAnimationFrame(() => this.tick());
  }

  train(epochs) {
    for (let i = 0; i < epochs && !this.finished; i++) this.lab.epochOnce();
  }

  /** What the page keeps: the epoch and each network's losses, errors and dead units. */
  summary() {
    const lab = this.lab, last = lab.last;
    return { id: this.setup.id, epoch: lab.epoch,
             rows: this.setup.activations.map((a, k) => ({ activation: a.slug, train_loss: last.train[k],
               test_loss: last.test[k], train_error: last.trainErr[k], test_error: last.testErr[k],
               dead: lab.deadSince[k].flat().filter((s) => s >= 0).length })) };
  }

  report() { this.component.setStateValue("summary", JSON.parse(JSON.stringify(this.summary()))); }

  // -- Drawing ------------------------------------------------------------------------------------
  /** The networks over the plane, evaluation mode: each network's output, and the drawn one's units. */
  evaluate() {
    const g = this.setup.grid, rows = g.n * g.n, F = this.setup.features.length, h = g.n / 2;
    if (this.gridFor !== this.setup.id) {  // the plane's grid, and every other point of it for the thumbnails
      this.gridX = Float64Array.from(g.x);
      this.halfX = new Float64Array(h * h * F);
      for (let y = 0; y < h; y++) for (let x = 0; x < h; x++)
        this.halfX.set(this.gridX.subarray(((2 * y) * g.n + 2 * x) * F, ((2 * y) * g.n + 2 * x + 1) * F), (y * h + x) * F);
      this.gridFor = this.setup.id;
    }
    this.thumbEvals = this.lab.nets.map((net, k) => (k === this.view ? null : net.forward(this.halfX, h * h, null)));
    return this.lab.nets.map((net, k) => (k === this.view ? net.forward(this.gridX, rows, null) : null));
  }

  colourOf(value, scale) {  // a value in [-scale, scale] on the diverging scheme (a 513-entry table)
    const t = Math.max(-1, Math.min(1, value / (scale || 1)));
    return this.lut[Number.isFinite(t) ? Math.round((t + 1) * 256) : 256];
  }

  /** The output over the plane for network k as RGBA pixels (n × n, y up). */
  outputPixels(out, k, n = this.setup.grid.n) {
    const C = this.setup.outputs, img = new ImageData(n, n);
    const disc = this.data.live.discretize, reg = this.setup.regression;
    for (let r = 0; r < n * n; r++) {
      let rgb;
      if (reg) rgb = this.colourOf(disc ? Math.sign(out[r]) : out[r], 1);
      else if (C === 2) {
        const p = 1 / (1 + Math.exp(out[r * 2] - out[r * 2 + 1]));  // P(class 1)
        rgb = this.colourOf(disc ? Math.sign(p - 0.5) : 2 * p - 1, 1);
      } else {
        let m = -Infinity, arg = 0, s = 0;
        for (let j = 0; j < C; j++) if (out[r * C + j] > m) { m = out[r * C + j]; arg = j; }
        for (let j = 0; j < C; j++) s += Math.exp(out[r * C + j] - m);
        const conf = disc ? 1 : (1 / s - 1 / C) / (1 - 1 / C);
        rgb = mix(this.pal.zero, this.pal.classes[arg % this.pal.classes.length], 0.25 + 0.75 * conf);
      }
      const x = r % n, y = n - 1 - Math.floor(r / n), o = 4 * (y * n + x);
      img.data[o] = rgb[0]; img.data[o + 1] = rgb[1]; img.data[o + 2] = rgb[2]; img.data[o + 3] = 255;
    }
    return img;
  }

  planePixels(values, stride, u) {  // one unit's (or feature's) output, scaled to its own largest |value|
    const n = this.setup.grid.n, img = new ImageData(n, n);
    let s = 0;
    for (let r = 0; r < n * n; r++) s = Math.max(s, Math.abs(values[r * stride + u]));
    for (let r = 0; r < n * n; r++) {
      const rgb = this.colourOf(values[r * stride + u], s);
      const o = 4 * ((n - 1 - Math.floor(r / n)) * n + (r % n));
      img.data[o] = rgb[0]; img.data[o + 1] = rgb[1]; img.data[o + 2] = rgb[2]; img.data[o + 3] = 255;
    }
    return img;
  }

  blit(ctx, img, x, y, w, h) {
    if (!this.scratch) this.scratch = document.createElement("canvas");
    if (this.scratch.width !== img.width) { this.scratch.width = img.width; this.scratch.height = img.height; }
    this.scratch.getContext("2d").putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.scratch, x, y, w, h);
  }

  /** The data points over a picture of side w: drawn once per set-up and size, then copied. */
  points(ctx, x0, y0, w, h) {
    const key = `${this.setup.id}|${w}|${this.data.live.show_test}`;
    let layer = this.pointLayers.get(key);
    if (!layer) {
      if (this.pointLayers.size > 8) this.pointLayers.clear();
      const dpr = window.devicePixelRatio || 1;
      layer = document.createElement("canvas");
      layer.width = Math.ceil(w * dpr); layer.height = Math.ceil(h * dpr);
      const lctx = layer.getContext("2d");
      lctx.scale(dpr, dpr);
      this.drawPoints(lctx, 0, 0, w, h);
      this.pointLayers.set(key, layer);
    }
    ctx.drawImage(layer, x0, y0, w, h);
  }

  drawPoints(ctx, x0, y0, w, h) {
    const s = this.setup, g = s.grid;
    const sets = [[s.train, false], ...(this.data.live.show_test ? [[s.test, true]] : [])];
    for (const [set, test] of sets) {
      for (let i = 0; i < set.y.length; i++) {
        const px = x0 + (set.points[2 * i] - g.lo[0]) / (g.hi[0] - g.lo[0]) * w;
        const py = y0 + h - (set.points[2 * i + 1] - g.lo[1]) / (g.hi[1] - g.lo[1]) * h;
        let rgb;
        if (s.regression) rgb = this.colourOf(set.y[i], 1);
        else if (s.outputs === 2) rgb = set.y[i] ? this.pal.pos : this.pal.neg;
        else rgb = this.pal.classes[set.y[i] % this.pal.classes.length];
        ctx.beginPath();
        ctx.arc(px, py, Math.max(1.5, w / 90), 0, 2 * Math.PI);
        ctx.fillStyle = `rgb(${rgb})`;
        ctx.fill();
        ctx.lineWidth = test ? 1.5 : 0.75;
        ctx.strokeStyle = test ? this.pal.text : "#ffffff";
        ctx.stroke();
      }
    }
  }

  draw() {
    if (!this.lab) return;
    this.frames += 1;
    const lab = this.lab, k = this.view, names = this.setup.activations.map((a) => a.name);
    this.epochEl.textContent = `Epoch ${lab.epoch.toLocaleString("en")}`;
    this.playBtn.disabled = !this.playing && this.finished;
    const bad = lab.diverged.map((d, i) => (d >= 0 ? `${names[i]} at epoch ${d}` : null)).filter((x) => x);
    const warning = (bad.length ? `Diverged (the loss became NaN or infinite): ${bad.join(", ")}. Lower the learning rate and press Reset; the other networks go on. ` : "")
      + (this.finished ? `Paused at epoch ${this.data.max_epochs.toLocaleString("en")}, the cap for one run. Reset to start again.` : "");
    if (warning !== this.warn.textContent) { this.warn.textContent = warning; this.warn.hidden = !warning; }
    const now = performance.now(), text = !this.playing || !(now - this.tablesAt < 300);  // tables and labels: a few times a second
    if (text) this.tablesAt = now;
    const evals = this.evaluate();
    this.drawNetwork(evals[k], k, text);
    this.thumbs.querySelectorAll("canvas").forEach((c, i) => {
      const side = 96;
      if (c.width !== side) { c.width = side; c.height = side; }
      const ctx = c.getContext("2d");
      const half = this.thumbEvals[i];
      this.blit(ctx, half ? this.outputPixels(half.out, i, this.setup.grid.n / 2) : this.outputPixels(evals[i].out, i), 0, 0, side, side);
      this.points(ctx, 0, 0, side, side);
      if (text) c.setAttribute("aria-label", `${names[i]}: output over the plane at epoch ${lab.epoch}; training loss ${fmt(lab.last.train[i])}`);
    });
    this.drawCurves(names, text);
    if (text) this.drawTables(names, k, evals[k]);
  }

  /** Inputs, hidden units and output as columns of pictures, weights as lines between them. */
  drawNetwork(ev, k, text = true) {
    const net = this.lab.nets[k], s = this.setup, F = s.features.length;
    const cols = [F, ...s.widths, 1], c = this.netCanvas;
    const width = Math.max(200, Math.min(this.width > 620 ? this.width * 0.62 : this.width, 720));
    const gap = width / (cols.length * 2.2), side = Math.min(44, gap * 1.1), out = Math.min(140, gap * 2.2);
    const rowH = side * 1.35, height = Math.max(8 * rowH, out) + 24;
    const dpr = window.devicePixelRatio || 1;
    sizeCanvas(c, width, height);
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const xs = cols.map((_, i) => 4 + i * (width - out - 8) / (cols.length - 1));
    const boxes = cols.map((n, i) => Array.from({ length: n }, (_, u) => {
      const last = i === cols.length - 1, sz = last ? out : side;
      const top = (height - 24 - (last ? out : n * rowH)) / 2 + 20;
      return { x: xs[i], y: last ? top : top + u * rowH, s: sz, layer: i, unit: u };
    }));
    this.boxes = boxes;
    // weights: into hidden layer l from column l
    for (let l = 0; l < cols.length - 1; l++) {
      const W = net.W[l], nOut = net.sizes[l + 1], C = s.outputs;
      for (let i = 0; i < cols[l]; i++) for (let j = 0; j < cols[l + 1]; j++) {
        let w;
        if (l < cols.length - 2) w = W[i * nOut + j];
        else w = s.regression ? W[i * nOut] : C === 2 ? W[i * nOut + 1] - W[i * nOut] : 0;
        const a = boxes[l][i], b = boxes[l + 1][j];
        ctx.beginPath();
        const x1 = a.x + a.s, y1 = a.y + a.s / 2, x2 = b.x, y2 = b.y + b.s / 2;
        ctx.moveTo(x1, y1);
        ctx.bezierCurveTo((x1 + x2) / 2, y1, (x1 + x2) / 2, y2, x2, y2);
        ctx.strokeStyle = w === 0 ? this.pal.lines : `rgb(${w > 0 ? this.pal.pos : this.pal.neg})`;
        ctx.lineWidth = w === 0 ? 0.5 : Math.min(6, 0.5 + Math.abs(w) * 1.2);
        ctx.stroke();
      }
    }
    const rows = s.grid.n * s.grid.n;
    boxes[0].forEach((bx, u) => this.blit(ctx, this.planePixels(this.gridX, F, u), bx.x, bx.y, bx.s, bx.s));
    s.widths.forEach((w, l) => boxes[l + 1].forEach((bx, u) => {
      this.blit(ctx, this.planePixels(ev.hs[l], w, u), bx.x, bx.y, bx.s, bx.s);
      if (this.lab.deadSince[k][l][u] >= 0) {  // a dead unit: 0 on every training point
        ctx.strokeStyle = this.pal.dead; ctx.lineWidth = 2.5;
        ctx.beginPath(); ctx.moveTo(bx.x, bx.y); ctx.lineTo(bx.x + bx.s, bx.y + bx.s);
        ctx.moveTo(bx.x + bx.s, bx.y); ctx.lineTo(bx.x, bx.y + bx.s); ctx.stroke();
      }
    }));
    const ob = boxes[cols.length - 1][0];
    this.blit(ctx, this.outputPixels(ev.out, k), ob.x, ob.y, ob.s, ob.s);
    this.points(ctx, ob.x, ob.y, ob.s, ob.s);
    ctx.fillStyle = this.pal.text; ctx.font = "12px sans-serif"; ctx.textBaseline = "top";
    ["Inputs", ...s.widths.map((_, l) => `Layer ${l + 1}`), "Output"].forEach((t, i) => ctx.fillText(t, xs[i], 2));
    s.features.forEach((f, u) => ctx.fillText(f, 0, boxes[0][u].y + side + 1));
    const dead = this.lab.deadSince[k].flat().filter((d) => d >= 0).length;
    if (text) c.setAttribute("aria-label", `The ${s.activations[k].name} network at epoch ${this.lab.epoch}: inputs ${s.features.join(", ")}; `
      + `hidden layers of ${s.widths.join(", ") || "no"} units${dead ? `, ${dead} dead` : ""}; each unit drawn as its output over the plane. `
      + "The table of every unit below gives the same numbers.");
    this.lastEval = ev;
    this.grid = rows;
  }

  hover(ev) {
    const r = this.netCanvas.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
    const hit = (this.boxes || []).flat().find((b) => x >= b.x && x <= b.x + b.s && y >= b.y && y <= b.y + b.s);
    if (!hit) { this.tip.hidden = true; return; }
    const s = this.setup, n = s.grid.n, net = this.lab.nets[this.view], L = this.boxes.length - 1;
    const gx = Math.min(n - 1, Math.floor((x - hit.x) / hit.s * n)), gy = Math.min(n - 1, Math.floor((1 - (y - hit.y) / hit.s) * n));
    const r0 = gy * n + gx, px = s.grid.lo[0] + (s.grid.hi[0] - s.grid.lo[0]) * gx / (n - 1);
    const py = s.grid.lo[1] + (s.grid.hi[1] - s.grid.lo[1]) * gy / (n - 1);
    let text;
    if (hit.layer === 0) text = `${s.features[hit.unit]} = ${fmt(this.gridX[r0 * s.features.length + hit.unit], 3)}`;
    else if (hit.layer < L) {
      const l = hit.layer - 1, w = net.sizes[l + 1], W = net.W[l];
      const win = Array.from({ length: net.sizes[l] }, (_, i) => fmt(W[i * w + hit.unit], 3));
      text = `Layer ${hit.layer}, unit ${hit.unit + 1}: output ${fmt(this.lastEval.hs[l][r0 * w + hit.unit], 3)} here; `
        + `bias ${fmt(net.b[l][hit.unit], 3)}; weights in ${win.join(", ")}`;
    } else {
      const C = s.outputs, o = this.lastEval.out;
      text = s.regression ? `output ${fmt(o[r0], 3)}` : C === 2 ? `P(class 1) = ${fmt(1 / (1 + Math.exp(o[r0 * 2] - o[r0 * 2 + 1])), 3)}`
        : `scores ${Array.from({ length: C }, (_, j) => fmt(o[r0 * C + j], 2)).join(", ")}`;
    }
    this.tip.textContent = `at (${fmt(px, 2)}, ${fmt(py, 2)}): ${text}`;
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(x + 12, r.width - 220)}px`;
    this.tip.style.top = `${y + 12}px`;
  }

  drawCurves(names, text = true) {
    const c = this.curves, h = this.lab.history, w = Math.max(200, Math.min(this.width > 620 ? this.width * 0.34 : this.width, 480)), ht = 160;
    const dpr = window.devicePixelRatio || 1;
    sizeCanvas(c, w, ht);
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, ht);
    const nE = h.epochs.length, stride = Math.max(1, Math.floor(nE / 300));
    let top = 0;
    for (const row of [...h.train, ...h.test]) for (const v of row) if (Number.isFinite(v)) top = Math.max(top, v);
    top = top || 1;
    const X = (e) => 30 + (w - 36) * (nE > 1 ? e / h.epochs[nE - 1] : 0), Y = (v) => ht - 18 - (ht - 26) * Math.min(v, top) / top;
    ctx.strokeStyle = this.pal.lines; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(30, 6); ctx.lineTo(30, ht - 18); ctx.lineTo(w - 4, ht - 18); ctx.stroke();
    ctx.fillStyle = this.pal.text; ctx.font = "11px sans-serif";
    ctx.fillText(fmt(top, 2), 0, 12); ctx.fillText("0", 18, ht - 20); ctx.fillText(`epoch ${h.epochs[nE - 1]}`, w - 70, ht - 4);
    this.data.colours.forEach((col, k) => {
      for (const [series, dash] of [[h.train, []], [h.test, [4, 3]]]) {
        ctx.beginPath(); ctx.setLineDash(dash); ctx.strokeStyle = col; ctx.lineWidth = 2;
        for (let e = 0; e < nE; e += stride) { const v = series[e][k]; if (!Number.isFinite(v)) break; e ? ctx.lineTo(X(h.epochs[e]), Y(v)) : ctx.moveTo(X(h.epochs[e]), Y(v)); }
        ctx.stroke();
      }
    });
    ctx.setLineDash([]);
    if (this.legend.childElementCount !== names.length)
      this.legend.replaceChildren(...names.map((n, k) => el("li", {}, el("span", { class: "swatch", style: `background:${this.data.colours[k]}` }), n)));
    if (text) c.setAttribute("aria-label", `Loss curves to epoch ${this.lab.epoch} (training solid, test dashed): `
      + names.map((n, k) => `${n} ${fmt(this.lab.last.train[k])} / ${fmt(this.lab.last.test[k])}`).join("; "));
  }

  drawTables(names, k, ev) {
    const lab = this.lab, reg = this.setup.regression, last = lab.last;
    const head = ["", "training loss", "test loss", ...(reg ? [] : ["training error", "test error"]), "dead units"];
    const total = this.setup.widths.reduce((a, b) => a + b, 0);
    const rows = names.map((n, i) => [n, fmt(last.train[i]), fmt(last.test[i]), ...(reg ? [] : [pct(last.trainErr[i]), pct(last.testErr[i])]),
      total ? `${lab.deadSince[i].flat().filter((d) => d >= 0).length} of ${total}` : "–"]);
    table(this.readout, head, rows, "Each network now");
    if (this.playing) return;  // the long table only while paused
    const net = lab.nets[k], n = this.setup.grid.n * this.setup.grid.n, urows = [];
    this.setup.widths.forEach((w, l) => { for (let u = 0; u < w; u++) {
      let lo = Infinity, hi = -Infinity, win = 0;
      for (let r = 0; r < n; r++) { const v = ev.hs[l][r * w + u]; lo = Math.min(lo, v); hi = Math.max(hi, v); }
      for (let i = 0; i < net.sizes[l]; i++) win += Math.abs(net.W[l][i * w + u]);
      const since = lab.deadSince[k][l][u];
      urows.push([`${l + 1}`, `${u + 1}`, fmt(net.b[l][u]), fmt(lo), fmt(hi), fmt(win), since >= 0 ? `${since}` : "–"]);
    } });
    this.unitsSummary.textContent = `Every unit of the ${names[k]} network`;
    table(this.units, ["layer", "unit", "bias", "output min", "output max", "|weights in|", "dead since epoch"], urows,
          `Every hidden unit of the ${names[k]} network at epoch ${lab.epoch}`);
  }
}

/** A canvas of w × h CSS pixels at the screen's density, resized only when that changes. */
function sizeCanvas(c, w, h) {
  const dpr = window.devicePixelRatio || 1;
  if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
    c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
    c.style.width = `${w}px`; c.style.height = `${h}px`;
  }
}

function table(t, head, rows, caption) {
  t.replaceChildren(el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c, i) => el(i ? "td" : "th", i ? { text: c } : { scope: "row", text: c }))))));
}

export default function (component) {
  const { parentElement, data } = component;
  let board = BOARDS.get(parentElement);
  if (!board) { board = new Board(parentElement, component); BOARDS.set(parentElement, board); }
  board.component = component;
  board.update(data);
  window.__stepwise = board;  // for the browser tests and the bench
  return () => { board.setPlaying(false, false); board.resize.disconnect(); BOARDS.delete(parentElement); };
}
