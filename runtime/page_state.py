"""Every page's settings, declared once: the fields of each page's link (name, type, range or
options, default), read and written by ``runtime.url_state``. A page takes its ``UrlState``
from here; nothing else reads or writes the address bar."""
from dataclasses import asdict

from activations import REGISTRY, RRELU_SCHEMES, initialisation
from lessons import course, maxout, outputs, saturation
from lessons.chain_rule import CHAIN_SLUGS
from training import playground
from training.config import INITS, MAX_DEPTH, MAX_EPOCHS, MAX_MODELS, MAX_WIDTH, MODELS, OPTIMIZERS, Config
from training.datasets import NAMES as DATASETS
from training.features import NAMES as FEATURE_NAMES
from training.presets import PRESETS

from .url_state import Choice, Choices, Flag, Number, Numbers, Span, Text, UrlState

SLUGS = list(REGISTRY)
NAMES = {s: a.name for s, a in REGISTRY.items()}

#: Settings of the whole app, in every page's link: presenter mode for a projector.
SHARED = [Flag("present", False, "presenter mode", shared=True)]


def presenting(session, query) -> bool:
    """Presenter mode: the session's switch, or on a session's first run the link's ``present``."""
    if "app.present" in session:
        return bool(session["app.present"])
    try:
        return bool(SHARED[0].parse(query["present"])) if "present" in query else False
    except ValueError:
        return False



def param_fields(slug: str) -> list[Number]:
    """An activation's parameters, kept per activation (``elu.alpha``), so switching to another
    activation and back keeps them."""
    return [Number(p.name, int(p.default) if p.integer else p.default, p.label, f"{slug}.{p.name}",
                   lo=p.min, hi=p.max, integer=p.integer, step=p.step) for p in REGISTRY[slug].params]


# -- Activation gallery --------------------------------------------------------------------
VIEWS = ("Single", "Compare", "Scrub")
X_LIMIT = 10.0
#: RReLU's two training schemes, as the page names them (``activations.RRELU_SCHEMES``).
SCHEME_NAMES = {"slope": "PyTorch: uniform slope", "divisor": "Xu et al.: uniform divisor"}


def gallery_params(get):
    """The chosen activation's parameters and, if it has several, which one Scrub varies."""
    slug, params = get("act"), REGISTRY[get("act")].params
    scrub = [Choice("scrub", params[0].name, "parameter to scrub", f"{slug}.scrub",
                    options=tuple(p.name for p in params))] if len(params) > 1 else []
    return param_fields(slug) + scrub


GALLERY = UrlState("gallery", [*SHARED,
    Choice("act", "relu", "activation", options=tuple(SLUGS), names=NAMES),
    Choice("view", "Single", options=VIEWS),
    Choice("mode", "test", "RReLU mode", options=("test", "train")),
    Choice("scheme", "slope", "RReLU training scheme", options=tuple(RRELU_SCHEMES), names=SCHEME_NAMES),
    Number("x", 0.0, "inspect x", lo=-X_LIMIT, hi=X_LIMIT),
    Span("xr", (-5.0, 5.0), "plot range", lo=-X_LIMIT, hi=X_LIMIT),
    Choices("cmp", ["relu", "leaky_relu", "elu", "sigmoid", "tanh"], "activations to compare", options=tuple(SLUGS),
            names=NAMES),
], more=gallery_params)


# -- Dead neurons --------------------------------------------------------------------------
DEAD_STEPS = ("The seeds' example: ReLU", "The same chain with Leaky ReLU", "Free play")
VARIANTS = [s for s in CHAIN_SLUGS if s != "relu"]
LR_MIN, LR_MAX, LR_STEP = 0.05, 2.0, 0.05
LEARNING_RATES = [round(LR_MIN + LR_STEP * i, 2) for i in range(round((LR_MAX - LR_MIN) / LR_STEP) + 1)]
DYING_STEPS = 100  # dying.train's default
UNITS = 4  # at most, in the free-play chain
FREE = [("x", "input x", 0.3), ("y", "target y", -0.5),
        *[(f"w{k + 1}", f"w{k + 1}", 0.5 if k == 0 else 1.0) for k in range(UNITS)],
        *[(f"b{k + 1}", f"b{k + 1}", -1.15 if k == 0 else 0.0) for k in range(UNITS)],
        ("w_out", "w_out", 0.4), ("b_out", "b_out", 0.3)]


DEAD = UrlState("dead", [*SHARED,
    Number("step", 1, "step", lo=1, hi=len(DEAD_STEPS), integer=True),
    Number("lr", 0.1, "learning rate", lo=0.01, hi=2.0, step=0.01),
    Choice("act", "relu", "activation", options=CHAIN_SLUGS, names=NAMES),
    Number("units", 1, "hidden units", lo=1, hi=UNITS, integer=True),
    *[Number(name, default, label, lo=-100.0, hi=100.0) for name, label, default in FREE],
    Number("die_lr", 0.5, "training learning rate", lo=LR_MIN, hi=LR_MAX, step=LR_STEP),
    Number("die_bias", 0.0, "initial bias", lo=-6.0, hi=2.0, step=0.5),
    Choice("die_act", "leaky_relu", "activation to compare", options=tuple(VARIANTS), names=NAMES),
    Number("die_step", DYING_STEPS, "training step", lo=0, hi=DYING_STEPS, integer=True),
], more=lambda get: param_fields(get("act")))


# -- Vanishing gradients -------------------------------------------------------------------
INIT_LABELS, INIT_CHOICES = initialisation.LABELS, initialisation.CHOICES
DEPTH_SLUGS = CHAIN_SLUGS  # elementwise: a layer keeps its width (lessons.depth, which imports torch)
DEFAULT_ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "selu"]
DATA = ("digits", "breast_cancer")
DEPTHS, NORM_DEPTH_MAX = range(2, 61), 60


VANISHING = UrlState("vanishing", [*SHARED,
    Number("depth", 20, "depth", lo=2, hi=60, integer=True),
    Number("width", 100, "width", lo=10, hi=200, integer=True, step=10),
    Choice("init", "usual", "initialisation", options=INIT_CHOICES, names=INIT_LABELS),
    Choice("data", "digits", "data", options=DATA),
    Choices("acts", DEFAULT_ACTS, "activations", options=DEPTH_SLUGS, names=NAMES),
    Number("norm_depth", 50, "SELU depth", lo=5, hi=60, integer=True),
    Choice("sat_act", "sigmoid", "saturating activation", options=saturation.SATURATING, names=NAMES),
    Number("sat_scale", 1.0, "weight scale", lo=0.1, hi=10.0, step=0.1),
])


# -- Output activations ----------------------------------------------------------------------
#: Hidden activations for the lessons' live runs: every elementwise one but RReLU, whose random
#: slopes in training come from torch's global generator (runs would not repeat).
TRAIN_SLUGS = tuple(s for s in CHAIN_SLUGS if s != "rrelu")
PAIR_NAMES = {"gaussian": "a real number (identity)", "bernoulli": "yes or no (sigmoid)",
              "categorical": "one of K classes (softmax)"}
WHY_NAMES = {"softmax": "softmax (4 classes)", "sigmoid": "sigmoid (2 classes)"}
_T = REGISTRY["softmax"].param("temperature")

OUTPUTS = UrlState("outputs", [*SHARED,
    Choice("pair", "gaussian", "target", options=outputs.PAIRS, names=PAIR_NAMES),
    Number("z", 1.0, "output score z", lo=-8.0, hi=8.0, step=0.1),
    Number("y", 0.0, "target y", lo=-6.0, hi=6.0, step=0.1),
    Number("label", 1, "label", lo=0, hi=1, integer=True),
    Numbers("scores", list(outputs.SEED_SCORES), "scores", lo=-outputs.SCORE_LIMIT, hi=outputs.SCORE_LIMIT,
            min_len=2, max_len=outputs.MAX_CLASSES),
    Number("t", _T.default, "temperature", lo=_T.min, hi=_T.max, step=_T.step),
    Number("shift", 0.0, "constant added to every score", lo=-1000.0, hi=1000.0, step=10.0),
    Flag("logp", False, "log scale"),
    Choice("why", "softmax", "output unit", options=outputs.WHY, names=WHY_NAMES),
    Number("at", -4.0, "score", lo=-10.0, hi=10.0, step=0.5),
    Choice("reg_act", "tanh", "hidden activation", options=TRAIN_SLUGS, names=NAMES),
    Number("reg_width", 32, "hidden units", lo=4, hi=64, integer=True, step=4),
    Number("reg_steps", 1500, "training steps", lo=100, hi=5000, integer=True, step=100),
    Number("reg_noise", 0.2, "noise", lo=0.0, hi=1.0, step=0.05),
])


# -- Mixture density networks ----------------------------------------------------------------
# lessons.mdn imports torch, which page_state must not: its choices are restated here (and
# checked against it by tests/runtime/test_url_state.py).
SCALE_NAMES = {"exp": "exp", "softplus": "softplus", "elu1": "ELU + 1"}
MDN_VIEWS = {"samples": "samples from p(y | x)", "density": "density p(y | x)"}

MDN = UrlState("mdn", [*SHARED,
    Number("m", 3, "components", lo=1, hi=8, integer=True),
    Number("width", 24, "hidden units", lo=4, hi=64, integer=True, step=4),
    Number("steps", 1000, "training steps", lo=100, hi=4000, integer=True, step=100),
    Choice("act", "tanh", "hidden activation", options=TRAIN_SLUGS, names=NAMES),
    Choice("scale", "exp", "scale activation", options=tuple(SCALE_NAMES), names=SCALE_NAMES),
    Choice("view", "samples", "view", options=tuple(MDN_VIEWS), names=MDN_VIEWS),
    Number("x", 0.5, "input x", lo=-0.1, hi=1.1, step=0.01),
])


# -- Maxout and CReLU ------------------------------------------------------------------------
TARGET_NAMES = {k: label for k, (label, *_) in maxout.TARGETS.items()}
#: NumPy-made sets only: a run's thread imports nothing, so it cannot race a page's imports
#: (scikit-learn's toy sets pull in pandas, which Plotly looks for while the page draws).
PRELU_DATA = ("spiral", "xor")

MAXOUT = UrlState("maxout", [*SHARED,
    Choice("target", "abs", "target", options=tuple(maxout.TARGETS), names=TARGET_NAMES),
    Number("k", 2, "K", lo=2, hi=maxout.K_MAX, integer=True),
    Number("units", 64, "units before", lo=1, hi=4096, integer=True),
    Number("next", 128, "units after", lo=1, hi=4096, integer=True),
    Number("kernel", 3, "kernel size", lo=1, hi=7, integer=True),
    Number("p_width", 16, "hidden units", lo=4, hi=64, integer=True, step=4),
    Number("p_steps", 600, "training steps", lo=100, hi=3000, integer=True, step=100),
    Choice("p_data", "spiral", "data", options=PRELU_DATA),
])


# -- Training lab --------------------------------------------------------------------------
CUSTOM, UPLOAD = "Custom", "upload (CSV)"
LEARNING_RATES_LAB = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 1.0, 3.0)
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD + momentum 0.9", "adam": "Adam"}
_LAB = asdict(Config())


def _lab(name, label, **kw):
    """A training-lab field whose default is ``training.config.Config``'s."""
    kind = Choices if isinstance(_LAB[name], (tuple, list)) else Number if "lo" in kw else Choice
    default = list(_LAB[name]) if kind is Choices else _LAB[name]
    return kind(name, default, label, **kw)


TRAINING = UrlState("training", [*SHARED,
    Choice("preset", CUSTOM, "preset", options=(CUSTOM, *PRESETS)),
    Choice("dataset", _LAB["dataset"], "data set", options=(*DATASETS, UPLOAD)),
    _lab("n", "points", lo=100, hi=5000, integer=True, step=100),
    _lab("noise", "noise", lo=0.0, hi=1.0, step=0.05),
    _lab("classes", "classes", lo=2, hi=5, integer=True),
    _lab("model", "network", options=MODELS),
    _lab("depth", "hidden layers", lo=1, hi=MAX_DEPTH, integer=True),
    _lab("width", "width", lo=2, hi=MAX_WIDTH, integer=True),
    _lab("activations", "activations", options=tuple(SLUGS), names=NAMES),
    Flag("per_layer", False, "one activation per layer"),
    *[Choice(f"layer_{l}", SLUGS[0], f"layer {l + 1}'s activation", options=tuple(SLUGS), names=NAMES)
      for l in range(MAX_DEPTH)],
    _lab("seeds", "seeds", lo=1, hi=10, integer=True),
    _lab("init", "initialisation", options=INITS, names=initialisation.LABELS),
    _lab("optimizer", "optimiser", options=OPTIMIZERS, names=OPTIMIZER_NAMES),
    _lab("lr", "learning rate", lo=LEARNING_RATES_LAB[0], hi=LEARNING_RATES_LAB[-1], grid=LEARNING_RATES_LAB),
    _lab("epochs", "epochs", lo=1, hi=MAX_EPOCHS, integer=True),
    _lab("batch_size", "batch size", lo=0, hi=5000, integer=True),
    _lab("target_error", "target training error", lo=0.01, hi=0.5, step=0.01),
    Choice("device", "cpu", "device", options=("cpu", "cuda")),
    Number("unit_model", 0, "network shown unit by unit", lo=0, hi=MAX_MODELS - 1, integer=True),
])


# -- Training lab, step by step -------------------------------------------------------------
#: TensorFlow Playground's learning and regularisation rates.
PLAY_LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
PLAY_REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_NAMES = {"none": "None", "l1": "L1", "l2": "L2"}
DATA_NAMES = {"circles": "circles", "xor": "XOR", "moons": "moons", "spiral": "spiral", "blobs": "two blobs",
              "plane": "plane (regression)", "gauss": "multi-Gaussian (regression)"}
PLAY_ACTS = playground.ACTIVATIONS

PLAYGROUND = UrlState("playground", [*SHARED,
    Choice("dataset", "circles", "data set", options=playground.DATASETS, names=DATA_NAMES),
    Number("n", 500, "points", lo=playground.MIN_POINTS, hi=playground.MAX_POINTS, integer=True, step=50),
    Number("noise", 0.1, "noise", lo=0.0, hi=0.5, step=0.05),
    Number("ratio", 50, "training data (%)", lo=10, hi=90, integer=True, step=10),
    Number("data_seed", 0, "data draw", lo=0, hi=999_999, integer=True),
    Choices("features", ["x1", "x2"], "input features", options=tuple(FEATURE_NAMES), names=FEATURE_NAMES),
    Text("layers", "4, 2", "hidden layers", max_len=40, allowed="0-9 ,;\\-", sample="8, 8, 8",
         hint="whole numbers separated by commas, like 4, 6, 2"),
    Choices("activations", ["relu", "leaky_relu", "elu", "tanh", "sigmoid"], "activations", options=PLAY_ACTS,
            names=NAMES),
    Choice("init", "usual", "initialisation", options=INIT_CHOICES, names=INIT_LABELS),
    Number("seed", 0, "weights' draw", lo=0, hi=999_999, integer=True),
    Choice("optimizer", "sgd", "optimiser", options=OPTIMIZERS, names=OPTIMIZER_NAMES),
    Number("lr", 0.03, "learning rate", lo=PLAY_LEARNING_RATES[0], hi=PLAY_LEARNING_RATES[-1], grid=PLAY_LEARNING_RATES),
    Number("batch", 10, "batch size", lo=1, hi=playground.MAX_BATCH, integer=True),
    Choice("reg", "none", "regularisation", options=tuple(REGULARIZATION_NAMES), names=REGULARIZATION_NAMES),
    Number("reg_rate", 0.0, "regularisation rate", lo=0.0, hi=PLAY_REG_RATES[-1], grid=PLAY_REG_RATES),
    Flag("show_test", False, "show test data"),
    Flag("discretize", False, "discretize output"),
    Choice("view", "relu", "network drawn", options=PLAY_ACTS, names=NAMES),
])


# -- Start page and course ------------------------------------------------------------------
HOME = UrlState("home", SHARED)
REFERENCES = UrlState("references", SHARED)
LESSONS = {lesson.slug: lesson for lesson in course.lessons()}


def course_step(get):
    """Which step of the chosen lesson is shown; its quiz is the step after the last."""
    lesson = LESSONS[get("lesson")]
    return [Number("step", 1, "step", f"{lesson.slug}.step", lo=1, hi=len(lesson.steps) + bool(lesson.quiz),
                   integer=True)]


COURSE = UrlState("course", [*SHARED, Choice("lesson", next(iter(LESSONS)), "lesson", options=tuple(LESSONS),
                                             names={k: v.title for k, v in LESSONS.items()})], more=course_step)


#: Each page's file and its state (the round-trip test walks them all).
PAGES = {"pages/home.py": HOME, "pages/course.py": COURSE, "pages/gallery.py": GALLERY,
         "pages/dead_neurons.py": DEAD, "pages/vanishing_gradients.py": VANISHING, "pages/training_lab.py": TRAINING,
         "pages/playground.py": PLAYGROUND, "pages/references.py": REFERENCES, "pages/output_activations.py": OUTPUTS,
         "pages/mixture_density.py": MDN, "pages/maxout_crelu.py": MAXOUT}
