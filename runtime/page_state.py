"""Every page's settings, declared once, and the one list of pages (``PAGES``).

Each field of a page's link declares its name, type, range or options, default and its widget
(label, help, which widget), read and written by ``runtime.url_state``, which also builds the
widget from it (``UrlState.input``). A page takes its ``UrlState`` from here and says only which
field goes where; nothing else reads or writes the address bar."""
from dataclasses import asdict

from activations import REGISTRY, RRELU_SCHEMES, initialisation
from lessons import course, maxout, outputs, saturation
from lessons.chain_rule import CHAIN_SLUGS
from training import stepwise
from training.config import (
    INITS,
    MAX_DEPTH,
    MAX_EPOCHS,
    MAX_MODELS,
    MAX_WIDTH,
    MODELS,
    OPTIMIZER_NAMES,
    OPTIMIZERS,
    Config,
)
from training.config import LEARNING_RATES as LEARNING_RATES_TRAINING
from training.datasets import NAMES as DATASETS
from training.features import NAMES as FEATURE_NAMES
from training.presets import PRESETS

from .url_state import Choice, Choices, Flag, Number, Numbers, Page, Span, Text, UrlState

SLUGS = list(REGISTRY)
#: Each activation's display name, by slug (the registry's ``Activation.name``).
ACT_NAMES = {s: a.name for s, a in REGISTRY.items()}
NAMES = ACT_NAMES  # the step-by-step lab's name for it (pages/playground.py, converted by the lead)

#: Settings of the whole app, in every page's link: presenter mode for a projector.
SHARED = [Flag("present", False, "presenter mode", shared=True, title="Presenter mode",
               help="Chart text at least 18 px for a projector; the link carries it (present=1).")]


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
                   lo=p.min, hi=p.max, integer=p.integer, step=p.step, title=p.label, help=p.help,
                   fmt="" if p.integer else "%.4g") for p in REGISTRY[slug].params]


#: Every parameter name an activation can have: a link may hide any of them.
PARAM_NAMES = tuple(dict.fromkeys(p.name for a in REGISTRY.values() for p in a.params))


# -- Activation gallery --------------------------------------------------------------------
VIEWS = ("Single", "Compare", "Scrub")
X_LIMIT = 10.0
#: RReLU's two training schemes, as the page names them (``activations.RRELU_SCHEMES``).
SCHEME_NAMES = {"slope": "PyTorch: uniform slope", "divisor": "Xu et al.: uniform divisor"}


def gallery_params(get):
    """The chosen activation's parameters and, if it has several, which one Scrub varies."""
    slug, params = get("act"), REGISTRY[get("act")].params
    scrub = [Choice("scrub", params[0].name, "parameter to scrub", f"{slug}.scrub",
                    options=tuple(p.name for p in params), names={p.name: p.label for p in params},
                    title="Parameter")] if len(params) > 1 else []
    return param_fields(slug) + scrub


GALLERY = UrlState("gallery", [*SHARED,
    Choice("act", "relu", "activation", options=tuple(SLUGS), names=ACT_NAMES, title="Activation"),
    Choice("view", "Single", options=VIEWS, title="View", kind="segmented_control",
           help="Compare overlays several activations; Scrub steps through a parameter inside the chart, with no "
                "server round trip."),
    Choice("mode", "test", "RReLU mode", options=("test", "train"), title="Mode", kind="segmented_control",
           help="Train: a random slope per element. Test: one fixed slope."),
    Choice("scheme", "slope", "RReLU training scheme", options=tuple(RRELU_SCHEMES), names=SCHEME_NAMES,
           title="Training scheme", kind="radio",
           help="PyTorch's nn.RReLU draws the slope uniformly; Xu et al. (NDSB) divide by a uniform divisor. "
                "Each has its own test-time slope (see below)."),
    Number("x", 0.0, "inspect x", lo=-X_LIMIT, hi=X_LIMIT, increment=0.05, title="Inspect x",
           help="Marks f(x) and f′(x) on both curves."),
    Span("xr", (-5.0, 5.0), "plot range", lo=-X_LIMIT, hi=X_LIMIT, increment=0.5, title="x from … to"),
    Choices("cmp", ["relu", "leaky_relu", "elu", "sigmoid", "tanh"], "activations to compare", options=tuple(SLUGS),
            names=ACT_NAMES, title="Compare with"),
], more=gallery_params, more_names=(*PARAM_NAMES, "scrub"))


# -- Dead neurons --------------------------------------------------------------------------
DEAD_STEPS = ("The course notes' example: ReLU", "The same chain with Leaky ReLU", "Free play")
VARIANTS = [s for s in CHAIN_SLUGS if s != "relu"]
# lessons.dying imports torch, which page_state must not (the gallery loads it): its learning-rate
# grid and default steps are stated here.
LR_MIN, LR_MAX, LR_STEP = 0.05, 2.0, 0.05
LEARNING_RATES = [round(LR_MIN + LR_STEP * i, 2) for i in range(round((LR_MAX - LR_MIN) / LR_STEP) + 1)]
DYING_STEPS = 100  # dying.train's default
UNITS = 4  # at most, in the free-play chain
FREE = [("x", "input x", 0.3), ("y", "target y", -0.5),
        *[(f"w{k + 1}", f"w{k + 1}", 0.5 if k == 0 else 1.0) for k in range(UNITS)],
        *[(f"b{k + 1}", f"b{k + 1}", -1.15 if k == 0 else 0.0) for k in range(UNITS)],
        ("w_out", "w_out", 0.4), ("b_out", "b_out", 0.3)]


#: Each long page's sections: the anchor a link names (``section=``) and the heading's words.
DEAD_SECTIONS = {"dying": "How a unit dies"}

DEAD = UrlState("dead", [*SHARED,
    Choice("section", "", "section", options=("", *DEAD_SECTIONS), control=False),
    Number("step", 1, "step", lo=1, hi=len(DEAD_STEPS), integer=True),
    Number("lr", 0.1, "learning rate", lo=0.01, hi=2.0, step=0.01, title="Learning rate η",
           help="w_new = w_old − η·∂L/∂w₁"),
    Choice("act", "relu", "activation", options=CHAIN_SLUGS, names=ACT_NAMES, title="Activation"),
    Number("units", 1, "hidden units", lo=1, hi=UNITS, integer=True, title="Hidden units in the chain"),
    *[Number(name, default, label, lo=-100.0, hi=100.0, increment=0.1, title=label, kind="number_input")
      for name, label, default in FREE],
    Number("die_lr", 0.5, "training learning rate", lo=LR_MIN, hi=LR_MAX, step=LR_STEP, title="Learning rate"),
    Number("die_bias", 0.0, "initial bias", lo=-6.0, hi=2.0, step=0.5, title="Initial bias of every hidden unit"),
    Choice("die_act", "leaky_relu", "activation to compare", options=tuple(VARIANTS), names=ACT_NAMES,
           title="Compare ReLU with"),
    Number("die_step", DYING_STEPS, "training step", lo=0, hi=DYING_STEPS, integer=True, title="Show training step"),
], more=lambda get: param_fields(get("act")), more_names=tuple(dict.fromkeys(
    p.name for s in CHAIN_SLUGS for p in REGISTRY[s].params)))


# -- Vanishing gradients -------------------------------------------------------------------
INIT_LABELS, INIT_CHOICES = initialisation.LABELS, initialisation.CHOICES
DEPTH_SLUGS = CHAIN_SLUGS  # elementwise: a layer keeps its width (lessons.depth, which imports torch)
DEFAULT_ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "selu"]
DATA = ("digits", "breast_cancer")
BATCH_NAMES = {"digits": "digits (8×8 images)", "breast_cancer": "breast cancer"}
DEPTHS, NORM_DEPTH_MAX = range(2, 61), 60


VANISHING_SECTIONS = {"slopes": "Why: the slopes multiply", "selu": "SELU keeps the signal standardised",
                      "saturation": "Saturation, made visible"}

VANISHING = UrlState("vanishing", [*SHARED,
    Choice("section", "", "section", options=("", *VANISHING_SECTIONS), control=False),
    Number("depth", 20, "depth", lo=DEPTHS[0], hi=DEPTHS[-1], integer=True, title="Depth (hidden layers)"),
    Number("width", 100, "width", lo=10, hi=200, integer=True, step=10, title="Width (units per layer)"),
    Choice("init", "usual", "initialisation", options=INIT_CHOICES, names=INIT_LABELS, title="Initialisation",
           help=initialisation.HELP),
    Choice("data", "digits", "data", options=DATA, names=BATCH_NAMES, title="Batch of real data"),
    Choices("acts", DEFAULT_ACTS, "activations", options=DEPTH_SLUGS, names=ACT_NAMES, title="Activations"),
    Number("norm_depth", 50, "SELU depth", lo=5, hi=NORM_DEPTH_MAX, integer=True, title="Depth"),
    Choice("sat_act", "sigmoid", "saturating activation", options=saturation.SATURATING, names=ACT_NAMES,
           title="Saturating activation", kind="segmented_control"),
    Number("sat_scale", 1.0, "weight scale", lo=0.1, hi=10.0, step=0.1, title="Weight scale s = ‖w‖"),
])


# -- Output activations ----------------------------------------------------------------------
#: Hidden activations for the lessons' live runs: every elementwise one but RReLU, whose random
#: slopes in training come from torch's global generator (runs would not repeat).
TRAIN_SLUGS = tuple(s for s in CHAIN_SLUGS if s != "rrelu")
PAIR_NAMES = {"gaussian": "a real number (identity)", "bernoulli": "yes or no (sigmoid)",
              "categorical": "one of K classes (softmax)"}
WHY_NAMES = {"softmax": "softmax (4 classes)", "sigmoid": "sigmoid (2 classes)"}
_T = REGISTRY["softmax"].param("temperature")

OUTPUTS_SECTIONS = {"distributions": "One output unit, one distribution", "softmax": "Softmax calculator",
                    "why-log": "Why the log matters", "regression": "A linear output, trained live"}

OUTPUTS = UrlState("outputs", [*SHARED,
    Choice("section", "", "section", options=("", *OUTPUTS_SECTIONS), control=False),
    Choice("pair", "gaussian", "target", options=outputs.PAIRS, names=PAIR_NAMES, title="Target",
           kind="segmented_control"),
    Number("z", 1.0, "output score z", lo=-8.0, hi=8.0, step=0.1, title="Output score z"),
    Number("y", 0.0, "target y", lo=-6.0, hi=6.0, step=0.1, title="Target y"),
    Number("label", 1, "label", lo=0, hi=1, integer=True, title="Label y", kind="segmented_control"),
    Numbers("scores", list(outputs.SEED_SCORES), "scores", lo=-outputs.SCORE_LIMIT, hi=outputs.SCORE_LIMIT,
            min_len=2, max_len=outputs.MAX_CLASSES, title="Scores, separated by commas",
            help=f"One score per class, 2 to {outputs.MAX_CLASSES} of them, each from −{outputs.SCORE_LIMIT:,g} "
                 f"to {outputs.SCORE_LIMIT:,g}."),
    Number("t", _T.default, "temperature", lo=_T.min, hi=_T.max, step=_T.step, title="Temperature T",
           help="softmax(x / T): below 1 sharpens towards the largest score, above 1 flattens."),
    Number("shift", 0.0, "constant added to every score", lo=-1000.0, hi=1000.0, step=10.0,
           title="Add c to every score"),
    Flag("logp", False, "log scale", title="Log", help="Probabilities on a log scale, where 10⁻¹⁴ is visible."),
    Choice("why", "softmax", "output unit", options=outputs.WHY, names=WHY_NAMES, title="Output unit",
           kind="segmented_control"),
    Number("at", -4.0, "score", lo=-10.0, hi=10.0, step=0.5, title="Score z of the correct class",
           help="Softmax: the other three classes score 0. Sigmoid: the label is 1."),
    Choice("reg_act", "tanh", "hidden activation", options=TRAIN_SLUGS, names=ACT_NAMES, title="Hidden activation"),
    Number("reg_width", 32, "hidden units", lo=4, hi=64, integer=True, step=4, title="Hidden units per layer"),
    Number("reg_steps", 1500, "training steps", lo=100, hi=5000, integer=True, step=100, title="Training steps"),
    Number("reg_noise", 0.2, "noise", lo=0.0, hi=1.0, step=0.05, title="Noise (standard deviation)"),
])


# -- Mixture density networks ----------------------------------------------------------------
# lessons.mdn imports torch, which page_state must not: its choices are restated here (and
# checked against it by tests/runtime/test_url_state.py).
SCALE_NAMES = {"exp": "exp", "softplus": "softplus", "elu1": "ELU + 1"}
MDN_VIEWS = {"samples": "samples from p(y | x)", "density": "density p(y | x)"}

MDN = UrlState("mdn", [*SHARED,
    Number("m", 3, "components", lo=1, hi=8, integer=True, title="Components m"),
    Number("width", 24, "hidden units", lo=4, hi=64, integer=True, step=4, title="Hidden units per layer"),
    Number("steps", 1000, "training steps", lo=100, hi=4000, integer=True, step=100, title="Training steps"),
    Choice("act", "tanh", "hidden activation", options=TRAIN_SLUGS, names=ACT_NAMES, title="Hidden activation"),
    Choice("scale", "exp", "scale activation", options=tuple(SCALE_NAMES), names=SCALE_NAMES,
           title="Scale activation",
           help="The positive activation that turns the third group of outputs into the scales σ."),
    Choice("view", "samples", "view", options=tuple(MDN_VIEWS), names=MDN_VIEWS, title="Show",
           kind="segmented_control"),
    Number("x", 0.5, "input x", lo=-0.1, hi=1.1, step=0.01, title="Input x"),
])


# -- Maxout and CReLU ------------------------------------------------------------------------
TARGET_NAMES = {k: label for k, (label, *_) in maxout.TARGETS.items()}
#: NumPy-made sets only: a run's thread imports nothing, so it cannot race a page's imports
#: (scikit-learn's toy sets pull in pandas, which Plotly looks for while the page draws).
PRELU_DATA = ("spiral", "xor")

MAXOUT_SECTIONS = {"maxout": "Maxout: the maximum of K lines", "crelu": "CReLU: both halves",
                   "prelu": "PReLU: one slope per unit, or one per layer"}

MAXOUT = UrlState("maxout", [*SHARED,
    Choice("section", "", "section", options=("", *MAXOUT_SECTIONS), control=False),
    Choice("target", "abs", "target", options=tuple(maxout.TARGETS), names=TARGET_NAMES, title="Target (convex)"),
    Number("k", 2, "K", lo=2, hi=maxout.K_MAX, integer=True, title="K, the number of affine pieces"),
    Number("units", 64, "units before", lo=1, hi=4096, integer=True, title="Units before", kind="number_input"),
    Number("next", 128, "units after", lo=1, hi=4096, integer=True, title="Units after", kind="number_input"),
    Number("kernel", 3, "kernel size", lo=1, hi=7, integer=True, title="Kernel k", kind="number_input",
           help="1: a dense layer. k > 1: a k × k convolution, with units counted as channels."),
    Number("p_width", 16, "hidden units", lo=4, hi=64, integer=True, step=4, title="Hidden units per layer"),
    Number("p_steps", 600, "training steps", lo=100, hi=3000, integer=True, step=100, title="Training steps"),
    Choice("p_data", "spiral", "data", options=PRELU_DATA, title="Data"),
])


# -- Training lab --------------------------------------------------------------------------
CUSTOM, UPLOAD = "Custom", "upload (CSV)"
LEARNING_RATES_LAB = LEARNING_RATES_TRAINING
MODEL_NAMES = {"mlp": "MLP", "conv": "conv net (digits)"}
DEVICE_NAMES = {"cpu": "CPU", "cuda": "GPU (CUDA)"}
_LAB = asdict(Config())


def _lab(name, label, **kw):
    """A training-lab field whose default is ``training.config.Config``'s; ``title`` is its widget's label."""
    kind = Choices if isinstance(_LAB[name], (tuple, list)) else Number if "lo" in kw else Choice
    default = list(_LAB[name]) if kind is Choices else _LAB[name]
    return kind(name, default, label, **kw)


TRAINING = UrlState("training", [*SHARED,
    Choice("preset", CUSTOM, "preset", options=(CUSTOM, *PRESETS), title="Preset"),
    Choice("dataset", _LAB["dataset"], "data set", options=(*DATASETS, UPLOAD), title="Data set",
           help="2-D toy sets, scikit-learn's 8×8 digits and breast-cancer sets, or your own CSV."),
    _lab("n", "points", lo=100, hi=5000, integer=True, step=100, title="Points"),
    _lab("noise", "noise", lo=0.0, hi=1.0, step=0.05, title="Noise"),
    _lab("classes", "classes", lo=2, hi=5, integer=True, title="Classes (softmax + cross-entropy)"),
    _lab("model", "network", options=MODELS, names=MODEL_NAMES, title="Network", kind="radio"),
    _lab("depth", "hidden layers", lo=1, hi=MAX_DEPTH, integer=True, title="Hidden layers"),
    _lab("width", "width", lo=2, hi=MAX_WIDTH, integer=True, title="Width (units / channels)"),
    _lab("activations", "activations", options=tuple(SLUGS), names=ACT_NAMES, title="Activations to compare"),
    Flag("per_layer", False, "one activation per layer", title="One activation per layer"),
    *[Choice(f"layer_{l}", SLUGS[0], f"layer {l + 1}'s activation", options=tuple(SLUGS), names=ACT_NAMES,
             title=f"Layer {l + 1}") for l in range(MAX_DEPTH)],
    _lab("seeds", "seeds", lo=1, hi=10, integer=True, title="Seeds"),
    _lab("init", "initialisation", options=INITS, names=initialisation.LABELS, title="Initialisation",
         help=initialisation.HELP),
    _lab("optimizer", "optimiser", options=OPTIMIZERS, names=OPTIMIZER_NAMES, title="Optimiser"),
    _lab("lr", "learning rate", lo=LEARNING_RATES_LAB[0], hi=LEARNING_RATES_LAB[-1], grid=LEARNING_RATES_LAB,
         title="Learning rate"),
    _lab("epochs", "epochs", lo=1, hi=MAX_EPOCHS, integer=True, title="Epochs"),
    _lab("batch_size", "batch size", lo=0, hi=5000, integer=True, increment=32, title="Batch size (0 = full batch)",
         kind="number_input"),
    _lab("target_error", "target training error", lo=0.01, hi=0.5, step=0.01, title="Target training error"),
    Choice("device", "cpu", "device", options=("cpu", "cuda"), names=DEVICE_NAMES, title="Device", kind="radio"),
    Number("unit_model", 0, "network shown unit by unit", lo=0, hi=MAX_MODELS - 1, integer=True, title="Network",
           kind="selectbox"),
], presets=("preset", PRESETS))


# -- Training lab, step by step -------------------------------------------------------------
#: TensorFlow Playground's learning and regularisation rates.
PLAY_LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
PLAY_REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_NAMES = {"none": "None", "l1": "L1", "l2": "L2"}
DATA_NAMES = {"circles": "circles", "xor": "XOR", "moons": "moons", "spiral": "spiral", "blobs": "two blobs",
              "plane": "plane (regression)", "gauss": "multi-Gaussian (regression)"}
PLAY_ACTS = stepwise.ACTIVATIONS

PLAYGROUND = UrlState("playground", [*SHARED,
    Choice("dataset", "circles", "data set", options=stepwise.DATASETS, names=DATA_NAMES, title="Data set",
           help="Two or more classes (softmax and cross-entropy), or TensorFlow Playground's two regression sets "
                "(one linear output unit and the squared error)."),
    Number("n", 500, "points", lo=stepwise.MIN_POINTS, hi=stepwise.MAX_POINTS, integer=True, step=50,
           title="Points"),
    Number("noise", 0.1, "noise", lo=0.0, hi=0.5, step=0.05, title="Noise"),
    Number("ratio", 50, "training data (%)", lo=10, hi=90, integer=True, step=10, title="Training data (%)"),
    Number("data_seed", 0, "data draw", lo=0, hi=999_999, integer=True, title="Data draw", kind="number_input",
           help="The seed of the data; Regenerate draws the next one (the link records it)."),
    Number("classes", 2, "classes", lo=2, hi=stepwise.MAX_CLASSES, integer=True, title="Classes (spiral, two blobs)",
           help=f"The spiral's arms and the blobs: 2 to {stepwise.MAX_CLASSES} classes, one softmax output per "
                "class. The other sets have two classes."),
    Choices("features", ["x1", "x2"], "input features", options=tuple(FEATURE_NAMES), names=FEATURE_NAMES,
            title="Input features", kind="pills", help="What the networks see of each point (x₁, x₂)."),
    Text("layers", "4, 2", "hidden layers", max_len=40, allowed="0-9 ,;\\-", sample="8, 8, 8",
         hint="whole numbers separated by commas, like 4, 6, 2", title="Hidden layers (units in each)",
         help=f"For example 4, 6, 2: three hidden layers. Empty: no hidden layer (a linear model). "
              f"Up to {stepwise.MAX_LAYERS} layers of up to {stepwise.MAX_UNITS} units."),
    Choices("activations", ["relu", "leaky_relu", "elu", "tanh", "sigmoid"], "activations", options=PLAY_ACTS,
            names=ACT_NAMES, title="Activations, side by side"),
    Choice("init", "usual", "initialisation", options=INIT_CHOICES, names=INIT_LABELS, title="Initialisation",
           help=initialisation.HELP),
    Number("seed", 0, "weights' draw", lo=0, hi=999_999, integer=True, title="Weights' draw", kind="number_input",
           help="The seed of the initial weights; every activation starts from the same draws."),
    Choice("optimizer", "sgd", "optimiser", options=OPTIMIZERS, names=OPTIMIZER_NAMES, title="Optimiser"),
    Number("lr", 0.03, "learning rate", lo=PLAY_LEARNING_RATES[0], hi=PLAY_LEARNING_RATES[-1], grid=PLAY_LEARNING_RATES,
           title="Learning rate"),
    Number("batch", 10, "batch size", lo=1, hi=stepwise.MAX_BATCH, integer=True, title="Batch size"),
    Choice("reg", "none", "regularisation", options=tuple(REGULARIZATION_NAMES), names=REGULARIZATION_NAMES,
           title="Regularisation", kind="segmented_control",
           help="On the weights, not the biases. L2 adds rate × w to each weight's gradient. L1, after each "
                "step, shrinks each weight towards 0 by rate × the step size (the learning rate; under Adam, "
                "Adam's step size for that weight) and stops it at exactly 0 rather than let it cross. A weight "
                "at 0 leaves again at a step whose gradient (SGD), velocity (momentum) or averaged gradient "
                "(Adam) exceeds the rate."),
    Number("reg_rate", 0.0, "regularisation rate", lo=0.0, hi=PLAY_REG_RATES[-1], grid=PLAY_REG_RATES,
           title="Regularisation rate"),
    Flag("show_test", False, "show test data", title="Show test data"),
    Flag("discretize", False, "discretize output", title="Discretize output"),
    Choice("view", "relu", "network drawn", options=PLAY_ACTS, names=ACT_NAMES, control=False),
])


# -- Start page and course ------------------------------------------------------------------
_LEAKY = REGISTRY["leaky_relu"].param("alpha")
HOME = UrlState("home", [*SHARED, Number("alpha", 0.0, _LEAKY.label, lo=_LEAKY.min, hi=_LEAKY.max, step=_LEAKY.step,
                                         title="α, the slope for x < 0 (0 is ReLU)", fmt="%.2f")])
REFERENCES = UrlState("references", SHARED)
LESSONS = {lesson.slug: lesson for lesson in course.lessons()}


def course_step(get):
    """Which step of the chosen lesson is shown; its quiz is the step after the last."""
    lesson = LESSONS[get("lesson")]
    return [Number("step", 1, "step", f"{lesson.slug}.step", lo=1, hi=len(lesson.steps) + bool(lesson.quiz),
                   integer=True)]


COURSE = UrlState("course", [*SHARED, Choice("lesson", next(iter(LESSONS)), "lesson", options=tuple(LESSONS),
                                             names={k: v.title for k, v in LESSONS.items()}, title="Lesson")],
                   more=course_step, more_names=("step",))


#: The one list of pages, in the navigation's order: each page's file, title (the navigation's
#: label, the page's heading and its browser tab), icon and settings. app.py's navigation, the
#: round-trip and hostile-link tests and the course's link check all read it.
PAGES = {page.file: page for page in (
    Page("pages/home.py", "Start here", ":material/home:", HOME, heading="ReLU Lab", default=True),
    Page("pages/course.py", "Course", ":material/school:", COURSE),
    Page("pages/gallery.py", "Activation gallery", ":material/show_chart:", GALLERY),
    Page("pages/dead_neurons.py", "Dead neurons", ":material/heart_broken:", DEAD),
    Page("pages/vanishing_gradients.py", "Vanishing gradients", ":material/trending_down:", VANISHING),
    Page("pages/output_activations.py", "Output activations", ":material/output:", OUTPUTS),
    Page("pages/mixture_density.py", "Mixture density networks", ":material/stacked_line_chart:", MDN),
    Page("pages/maxout_crelu.py", "Maxout and CReLU", ":material/extension:", MAXOUT),
    Page("pages/training_lab.py", "Training lab", ":material/fitness_center:", TRAINING),
    Page("pages/playground.py", "Training lab: step by step", ":material/tune:", PLAYGROUND),
    Page("pages/references.py", "References", ":material/menu_book:", REFERENCES),
)}
