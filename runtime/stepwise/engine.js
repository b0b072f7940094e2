// The step-by-step lab's training, in the student's browser: multilayer perceptrons in float64,
// every activation the lab offers with its derivative, SGD / momentum / Adam as torch.optim steps
// them, L2 as training/engine.py adds it to the gradient and L1 as its proximal step, every
// network on the same batches (lockstep). Plain script, no imports: the component's module
// (board.js) and the browser tests load it as it is. Numbers equal training/engine.py's in torch
// float64 (tests/training/test_stepwise_numbers.py).
const StepwiseEngine = (() => {
  "use strict";

  // -- Random numbers: mulberry32, implemented identically in training/stepwise_setup.py -------
  function mulberry32(seed) {
    let a = seed >>> 0;
    return function next32() {
      a = (a + 0x6D2B79F5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a) >>> 0;
      t = ((t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t) >>> 0;
      return (t ^ (t >>> 14)) >>> 0;
    };
  }
  const TWO32 = 4294967296;
  function uniform(next32) { return next32() / TWO32; }
  /** Fisher–Yates: a permutation of 0..n-1 from the generator. */
  function permutation(next32, n) {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(uniform(next32) * (i + 1));
      const t = p[i]; p[i] = p[j]; p[j] = t;
    }
    return p;
  }
  const NOISE_SALT = 0x9E3779B9;  // the RReLU noise stream's seed is the weights' seed XOR this

  // -- The error function to float64 rounding: a series below 3, a continued fraction above ----
  const SQRT_PI = Math.sqrt(Math.PI);
  function erf(x) {
    const ax = Math.abs(x);
    if (ax >= 6) return Math.sign(x);
    if (ax < 3) {  // erf x = 2x/√π · e^(−x²) · Σ (2x²)^n / (1·3·…·(2n+1)): positive terms, no cancellation
      const x2 = ax * ax;
      let term = 1, sum = 1;
      for (let n = 1; n < 200; n++) {
        term *= 2 * x2 / (2 * n + 1);
        sum += term;
        if (term < sum * 1e-17) break;
      }
      return Math.sign(x) * (2 * ax / SQRT_PI) * Math.exp(-x2) * sum;
    }
    // erfc x = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail
    let f = ax;
    for (let k = 80; k >= 1; k--) f = ax + (k / 2) / f;
    return Math.sign(x) * (1 - Math.exp(-ax * ax) / (SQRT_PI * f));
  }

  // -- Activations: f(x) and f′(x) as the registry (activations/registry.py) and torch compute them
  const SQRT1_2 = Math.SQRT1_2, GELU_PDF = 1 / Math.sqrt(2 * Math.PI);
  const GELU_TANH_C = Math.sqrt(2 / Math.PI), GELU_TANH_A = 0.044715;
  const sigmoid = (x) => { const e = Math.exp(-Math.abs(x)); return x >= 0 ? 1 / (1 + e) : e / (1 + e); };
  const softplus = (x, beta) => { const bx = beta * x; return bx > 20 ? x : (Math.max(bx, 0) + Math.log1p(Math.exp(-Math.abs(bx)))) / beta; };
  /** slug → (params) → {f, d}; ``softmax`` acts on a whole layer and has ``layer`` instead. */
  const ELEMENTWISE = {
    relu: () => ({ f: (x) => (x > 0 ? x : 0), d: (x) => (x > 0 ? 1 : 0) }),
    leaky_relu: (p) => ({ f: (x) => (x > 0 ? x : p.alpha * x), d: (x) => (x > 0 ? 1 : p.alpha) }),
    rrelu: (p) => { const a = (p.lower + p.upper) / 2; return { f: (x) => (x > 0 ? x : a * x), d: (x) => (x > 0 ? 1 : a) }; },
    prelu: (p) => ({ f: (x) => (x > 0 ? x : p.a * x), d: (x) => (x > 0 ? 1 : p.a) }),
    elu: (p) => ({ f: (x) => (x > 0 ? x : p.alpha * Math.expm1(x)), d: (x) => (x > 0 ? 1 : p.alpha * Math.exp(x)) }),
    selu: (p) => ({ f: (x) => p.lam * (x > 0 ? x : p.alpha * Math.expm1(x)), d: (x) => p.lam * (x > 0 ? 1 : p.alpha * Math.exp(x)) }),
    celu: (p) => ({ f: (x) => Math.max(x, 0) + Math.min(0, p.alpha * Math.expm1(Math.min(x, 0) / p.alpha)),
                    d: (x) => (x > 0 ? 1 : Math.exp(x / p.alpha)) }),
    gelu: () => ({ f: (x) => 0.5 * x * (1 + erf(x * SQRT1_2)),
                   d: (x) => 0.5 * (1 + erf(x * SQRT1_2)) + x * Math.exp(-0.5 * x * x) * GELU_PDF }),
    gelu_tanh: () => ({
      f: (x) => 0.5 * x * (1 + Math.tanh(GELU_TANH_C * (x + GELU_TANH_A * x * x * x))),
      d: (x) => { const t = Math.tanh(GELU_TANH_C * (x + GELU_TANH_A * x * x * x));
                  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_TANH_C * (1 + 3 * GELU_TANH_A * x * x); } }),
    silu: (p) => ({ f: (x) => x * sigmoid(p.beta * x),
                    d: (x) => { const s = sigmoid(p.beta * x); return s + p.beta * x * s * (1 - s); } }),
    mish: () => ({ f: (x) => x * Math.tanh(softplus(x, 1)),
                   d: (x) => { const t = Math.tanh(softplus(x, 1)); return t + x * (1 - t * t) * sigmoid(x); } }),
    softplus: (p) => ({ f: (x) => softplus(x, p.beta), d: (x) => (p.beta * x > 20 ? 1 : sigmoid(p.beta * x)) }),
    relu6: () => ({ f: (x) => Math.min(Math.max(x, 0), 6), d: (x) => (x > 0 && x < 6 ? 1 : 0) }),
    hardswish: () => ({ f: (x) => x * Math.min(Math.max(x + 3, 0), 6) / 6,
                        d: (x) => (x <= -3 ? 0 : x < 3 ? (2 * x + 3) / 6 : 1) }),
    sigmoid: () => ({ f: sigmoid, d: (x) => { const s = sigmoid(x); return s * (1 - s); } }),
    tanh: () => ({ f: Math.tanh, d: (x) => { const t = Math.tanh(x); return 1 - t * t; } }),
  };

  /** softmax(z / T) over each row of z (rows × n), into out. */
  function softmaxRows(z, rows, n, T, out) {
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      let m = -Infinity;
      for (let j = 0; j < n; j++) m = Math.max(m, z[o + j] / T);
      let s = 0;
      for (let j = 0; j < n; j++) { const e = Math.exp(z[o + j] / T - m); out[o + j] = e; s += e; }
      for (let j = 0; j < n; j++) out[o + j] /= s;
    }
    return out;
  }

  /** One activation for the tests: f and f′ of x elementwise (softmax: along rows of width n, and
   * its Jacobian-vector product with v). */
  function activation(slug, params) {
    if (slug === "softmax") return { layer: true };
    const make = ELEMENTWISE[slug];
    if (!make) throw new Error(`no activation ${slug}`);
    return make(params);
  }

  /** Loops over an array with one activation's f or f′: each network gets loops of its own code
   * (``new Function``), so the engine's calls stay monomorphic and V8 inlines them. */
  const mapLoop = (f) => new Function("f", "return function (z, a) { for (let k = 0; k < z.length; k++) a[k] = f(z[k]); };")(f);
  const chainLoop = (d) => new Function("d", "return function (z, dh, dz) { for (let k = 0; k < z.length; k++) dz[k] = dh[k] * d(z[k]); };")(d);

  // -- Networks ----------------------------------------------------------------------------------
  /** One network: layers of weights (fanIn × fanOut, row-major, as torch's (fan_in, out) tensors),
   * biases, and for PReLU a learned slope per unit. */
  class Network {
    constructor(spec, layers, nIn, nOut) {
      this.slug = spec.slug;
      this.params = spec.params || {};
      this.act = this.slug === "softmax" ? null : activation(this.slug, this.params);
      if (this.act) { this.applyF = mapLoop(this.act.f); this.applyD = chainLoop(this.act.d); }
      this.sizes = [nIn, ...layers.slice(0, -1).map((l) => l.b.length), nOut];
      this.W = layers.map((l) => Float64Array.from(l.w));
      this.b = layers.map((l) => Float64Array.from(l.b));
      this.slope = layers.slice(0, -1).map((l) => (l.slope ? Float64Array.from(l.slope) : null));
      // every parameter array, and whether it is a weight (regularised) or not
      this.tensors = [...this.W.map((a) => [a, true]), ...this.b.map((a) => [a, false]),
                      ...this.slope.filter((a) => a).map((a) => [a, false])];
      this.grads = this.tensors.map(([a]) => new Float64Array(a.length));
      this.state = this.tensors.map(([a]) => ({ buf: null, m: null, v: null, t: 0 }));
    }

    get depth() { return this.W.length - 1; }

    /** Forward pass of rows × nIn inputs X: {z[l], h[l], out}. ``noise`` (training RReLU) draws a
     * slope for every element of each hidden layer, row-major, in layer order. */
    forward(X, rows, noise) {
      const zs = [], hs = [], rs = [];
      let h = X;
      for (let l = 0; l <= this.depth; l++) {
        const nIn = this.sizes[l], nOut = this.sizes[l + 1], W = this.W[l], b = this.b[l];
        const z = new Float64Array(rows * nOut);
        for (let r = 0; r < rows; r++) {
          const zo = r * nOut, ho = r * nIn;
          for (let j = 0; j < nOut; j++) z[zo + j] = b[j];
          for (let i = 0; i < nIn; i++) {
            const hv = h[ho + i], wo = i * nOut;
            if (hv === 0) continue;
            for (let j = 0; j < nOut; j++) z[zo + j] += hv * W[wo + j];
          }
        }
        zs.push(z);
        if (l === this.depth) return { zs, hs, rs, out: z };
        const a = new Float64Array(rows * nOut);
        if (this.slug === "softmax") softmaxRows(z, rows, nOut, this.params.temperature, a);
        else if (this.slug === "prelu") {
          const s = this.slope[l];
          for (let k = 0; k < a.length; k++) { const v = z[k]; a[k] = v > 0 ? v : s[k % nOut] * v; }
        } else if (this.slug === "rrelu" && noise) {
          const lo = this.params.lower, up = this.params.upper, slopes = new Float64Array(a.length);
          for (let k = 0; k < a.length; k++) { slopes[k] = lo + (up - lo) * uniform(noise); const v = z[k]; a[k] = v > 0 ? v : slopes[k] * v; }
          rs[l] = slopes;
        } else this.applyF(z, a);
        hs.push(a);
        h = a;
      }
    }

    /** Gradients of the mean loss on (X, y) into ``grads``; returns the loss. */
    backward(X, y, rows, regression, noise) {
      const { zs, hs, rs, out } = this.forward(X, rows, noise);
      const C = this.sizes[this.depth + 1];
      let delta = new Float64Array(rows * C), loss = 0;
      for (let r = 0; r < rows; r++) {
        const o = r * C;
        if (regression) {
          const e = out[o] - y[r];
          loss += e * e;
          delta[o] = 2 * e / rows;
        } else {
          let m = -Infinity;
          for (let j = 0; j < C; j++) m = Math.max(m, out[o + j]);
          let s = 0;
          for (let j = 0; j < C; j++) s += Math.exp(out[o + j] - m);
          const lse = m + Math.log(s);
          loss += lse - out[o + y[r]];
          for (let j = 0; j < C; j++) delta[o + j] = Math.exp(out[o + j] - lse) / rows;
          delta[o + y[r]] -= 1 / rows;
        }
      }
      loss /= rows;
      for (const g of this.grads) g.fill(0);
      if (!Number.isFinite(loss)) return loss;  // a diverged network adds no gradient (engine.backward)
      const nW = this.W.length, nB = this.b.length;
      let slopeIndex = 2 * nW;
      const slopeGrad = [];
      for (let l = 0; l < this.depth; l++) if (this.slope[l]) slopeGrad[l] = this.grads[slopeIndex++];
      for (let l = this.depth; l >= 0; l--) {
        const nIn = this.sizes[l], nOut = this.sizes[l + 1];
        const hIn = l === 0 ? X : hs[l - 1], gW = this.grads[l], gb = this.grads[nW + l], W = this.W[l];
        for (let r = 0; r < rows; r++) {
          const d = r * nOut, ho = r * nIn;
          for (let j = 0; j < nOut; j++) gb[j] += delta[d + j];
          for (let i = 0; i < nIn; i++) {
            const hv = hIn[ho + i], wo = i * nOut;
            for (let j = 0; j < nOut; j++) gW[wo + j] += hv * delta[d + j];
          }
        }
        if (l === 0) break;
        // into the hidden layer below: dh = delta · Wᵀ, then through its activation
        const dh = new Float64Array(rows * nIn);
        for (let r = 0; r < rows; r++) {
          const d = r * nOut, o = r * nIn;
          for (let i = 0; i < nIn; i++) {
            let s = 0;
            const wo = i * nOut;
            for (let j = 0; j < nOut; j++) s += delta[d + j] * W[wo + j];
            dh[o + i] = s;
          }
        }
        const z = zs[l - 1], a = hs[l - 1], dz = new Float64Array(rows * nIn);
        if (this.slug === "softmax") {
          const T = this.params.temperature;
          for (let r = 0; r < rows; r++) {
            const o = r * nIn;
            let s = 0;
            for (let j = 0; j < nIn; j++) s += dh[o + j] * a[o + j];
            for (let j = 0; j < nIn; j++) dz[o + j] = a[o + j] * (dh[o + j] - s) / T;
          }
        } else if (this.slug === "prelu") {
          const s = this.slope[l - 1], gs = slopeGrad[l - 1];
          for (let k = 0; k < dz.length; k++) {
            const v = z[k];
            if (v > 0) dz[k] = dh[k];
            else { dz[k] = s[k % nIn] * dh[k]; gs[k % nIn] += dh[k] * v; }
          }
        } else if (this.slug === "rrelu" && rs[l - 1]) {
          const sl = rs[l - 1];
          for (let k = 0; k < dz.length; k++) dz[k] = z[k] > 0 ? dh[k] : sl[k] * dh[k];
        } else this.applyD(z, dh, dz);
        delta = dz;
      }
      return loss;
    }

    /** The optimiser's step (torch.optim's SGD, SGD with momentum, Adam) with the regularisation,
     * as training/engine.py's Trainer.update does it. */
    update(opt) {
      const { kind, lr, reg, rate, momentum } = opt;
      this.tensors.forEach(([p, isWeight], n) => {
        const g = this.grads[n], st = this.state[n];
        if (reg === "l2" && rate && isWeight) for (let k = 0; k < p.length; k++) g[k] += p[k] * rate;
        if (kind === "sgd") {
          for (let k = 0; k < p.length; k++) p[k] += -lr * g[k];
        } else if (kind === "momentum") {
          if (st.buf === null) st.buf = Float64Array.from(g);
          else for (let k = 0; k < p.length; k++) st.buf[k] = st.buf[k] * momentum + g[k];
          for (let k = 0; k < p.length; k++) p[k] += -lr * st.buf[k];
        } else {  // Adam, betas (0.9, 0.999), eps 1e-8: torch's single-tensor step
          const b1 = 0.9, b2 = 0.999, eps = 1e-8;
          if (st.m === null) { st.m = new Float64Array(p.length); st.v = new Float64Array(p.length); }
          st.t += 1;
          const bc1 = 1 - Math.pow(b1, st.t), bc2 = 1 - Math.pow(b2, st.t);
          const stepSize = lr / bc1, bc2Sqrt = Math.sqrt(bc2);
          for (let k = 0; k < p.length; k++) {
            st.m[k] += (g[k] - st.m[k]) * (1 - b1);  // lerp
            st.v[k] = st.v[k] * b2 + g[k] * g[k] * (1 - b2);
            p[k] += -stepSize * (st.m[k] / (Math.sqrt(st.v[k]) / bc2Sqrt + eps));
          }
        }
        if (reg === "l1" && rate && isWeight) {
          // The threshold is the step per unit of gradient × rate: SGD's (and momentum's) lr,
          // Adam's lr / (√v̂ + ε) per weight, as training/engine.py's Trainer.update.
          if (kind === "adam") {
            const bc2 = 1 - Math.pow(0.999, st.t);
            for (let k = 0; k < p.length; k++) {
              const shrink = (lr / (Math.sqrt(st.v[k] / bc2) + 1e-8)) * rate;
              p[k] = Math.sign(p[k]) * Math.max(Math.abs(p[k]) - shrink, 0);
            }
          } else {
            const shrink = lr * rate;
            for (let k = 0; k < p.length; k++) p[k] = Math.sign(p[k]) * Math.max(Math.abs(p[k]) - shrink, 0);
          }
        }
      });
    }

    /** Mean loss and error (classification) on rows of X, evaluation mode. */
    measure(X, y, rows, regression) {
      const { out, hs } = this.forward(X, rows, null);
      const C = this.sizes[this.depth + 1];
      let loss = 0, wrong = 0;
      for (let r = 0; r < rows; r++) {
        const o = r * C;
        if (regression) { const e = out[o] - y[r]; loss += e * e; continue; }
        let m = -Infinity, arg = 0;
        for (let j = 0; j < C; j++) if (out[o + j] > m) { m = out[o + j]; arg = j; }
        let s = 0;
        for (let j = 0; j < C; j++) s += Math.exp(out[o + j] - m);
        loss += m + Math.log(s) - out[o + y[r]];
        if (arg !== y[r]) wrong += 1;
      }
      return { loss: loss / rows, error: regression ? NaN : wrong / rows, hs, out };
    }
  }

  // -- Lockstep: every network on the same batches -----------------------------------------------
  class Lockstep {
    /** ``setup``: what training/stepwise_setup.py hands over (data, features, weights, seed). */
    constructor(setup) {
      this.setup = setup;
      this.regression = setup.regression;
      this.F = setup.features.length;
      this.nets = setup.activations.map((a, k) => new Network(a, setup.weights[k], this.F, setup.outputs));
      this.xTrain = Float64Array.from(setup.train.x);
      this.yTrain = setup.regression ? Float64Array.from(setup.train.y) : Int32Array.from(setup.train.y);
      this.xTest = Float64Array.from(setup.test.x);
      this.yTest = setup.regression ? Float64Array.from(setup.test.y) : Int32Array.from(setup.test.y);
      this.order = mulberry32(setup.seed);
      this.noise = mulberry32((setup.seed ^ NOISE_SALT) >>> 0);
      this.epoch = 0;
      this.opt = { kind: setup.optimizer, lr: setup.lr, reg: setup.reg, rate: setup.reg_rate, momentum: setup.momentum };
      const K = this.nets.length;
      this.history = { epochs: [], train: [], test: [] };
      this.diverged = new Array(K).fill(-1);
      this.deadSince = this.nets.map((n) => n.sizes.slice(1, -1).map((w) => new Array(w).fill(-1)));
      this.measure();
    }

    get nTrain() { return this.yTrain.length; }

    /** One epoch: a fresh batch order (when there is more than one batch), then every batch for
     * every network, as training/engine.py's Trainer.run takes them. */
    epochOnce(perm) {
      const n = this.nTrain, bs = Math.min(this.setup.batch, n), per = Math.ceil(n / bs), F = this.F;
      if (perm === undefined) perm = per > 1 ? permutation(this.order, n) : null;
      for (let b = 0; b < per; b++) {
        const idx = perm === null ? null : perm.subarray(b * bs, Math.min((b + 1) * bs, n));
        const rows = idx === null ? n : idx.length;
        let X = this.xTrain, y = this.yTrain;
        if (idx !== null) {
          X = new Float64Array(rows * F);
          y = this.regression ? new Float64Array(rows) : new Int32Array(rows);
          for (let r = 0; r < rows; r++) {
            X.set(this.xTrain.subarray(idx[r] * F, idx[r] * F + F), r * F);
            y[r] = this.yTrain[idx[r]];
          }
        }
        for (const net of this.nets) {
          net.backward(X, y, rows, this.regression, net.slug === "rrelu" ? this.noise : null);
          net.update(this.opt);
        }
      }
      this.epoch += 1;
      this.measure();
    }

    /** Losses, errors and dead units after an epoch, for the curves and the table. */
    measure() {
      const rows = this.nTrain, rowsTest = this.yTest.length;
      const train = [], test = [], trainErr = [], testErr = [];
      this.nets.forEach((net, k) => {
        const a = net.measure(this.xTrain, this.yTrain, rows, this.regression);
        const b = net.measure(this.xTest, this.yTest, rowsTest, this.regression);
        train.push(a.loss); test.push(b.loss); trainErr.push(a.error); testErr.push(b.error);
        if (!Number.isFinite(a.loss) && this.diverged[k] < 0) this.diverged[k] = this.epoch;
        a.hs.forEach((h, l) => {
          const w = net.sizes[l + 1], since = this.deadSince[k][l];
          for (let u = 0; u < w; u++) {
            let dead = true;
            for (let r = 0; r < rows && dead; r++) if (h[r * w + u] !== 0) dead = false;
            if (!dead) since[u] = -1;
            else if (since[u] < 0) since[u] = this.epoch;
          }
        });
      });
      this.last = { train, test, trainErr, testErr };
      this.history.epochs.push(this.epoch);
      this.history.train.push(train);
      this.history.test.push(test);
    }
  }

  return { mulberry32, permutation, erf, activation, softmaxRows, Network, Lockstep, NOISE_SALT, ELEMENTWISE };
})();
