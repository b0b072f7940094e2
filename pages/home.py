"""Landing page: one live plot to touch first, then what ReLU Lab teaches and where to start."""
import numpy as np
import streamlit as st

from activations import REGISTRY
from app_shell import chart
from charts.gallery import curve_figure
from runtime import page_state

STATE = page_state.HOME.open()

STATE.title()


@st.fragment
def first_plot():
    """ReLU and its slope, and the α that makes it Leaky ReLU: the slider reruns only this plot."""
    alpha = STATE.input("alpha")
    fig, _ = curve_figure(REGISTRY["leaky_relu"], np.linspace(-5, 5, 401), {"alpha": alpha}, x0=-2.0)
    chart(fig, key="home_curve")
    st.caption("Left: f(x) = max(αx, x); right: its slope f′(x). At α = 0 this is ReLU, max(0, x): its slope is "
               "0 for every x < 0, so a unit whose inputs all land there passes no gradient back (the dying ReLU). "
               "Any α > 0 keeps a small slope there (Leaky ReLU).")
    STATE.sync()


first_plot()
st.markdown(
    """
Why did the **rectified linear unit**, `max(0, x)`, replace the sigmoid and tanh in deep
networks, what goes wrong with it, and how do its variants fix that? ReLU Lab answers with
live plots and real networks rather than pictures:

1. **Activation gallery**: every activation with its derivative, formula, properties and
   sources. Move the sliders for α, λ and the RReLU bounds and watch the curves change.
2. **Dead neurons**: the chain rule, one factor at a time: a single zero factor makes a
   weight's gradient zero, and Leaky ReLU keeps the unit's factor from being zero.
3. **Vanishing gradients**: sigmoid′ ≤ 0.25 multiplied through fifty layers, measured in a
   real deep network, and SELU's self-normalisation.
4. **Output activations**: identity, sigmoid and softmax as the distributions they describe,
   a softmax calculator, and why the loss takes the log.
5. **Mixture density networks**: a network that answers with a distribution when one input has
   several right answers.
6. **Maxout and CReLU**: the maximum of K lines, both halves of the rectifier, and PReLU's slopes
   per unit or per layer.
7. **Training lab**: train several activations side by side on the same data and, per seed,
   the same random draws for the weights (scaled by each activation's usual initialisation),
   and compare how fast they learn.
8. **Training lab: step by step**: as TensorFlow Playground, one epoch at a time with Play,
   Pause and Step, the network drawn unit by unit, but with every chosen activation training
   beside the others on the same data and batches.

New here? The **Course** walks through all of it in seven short lessons with quizzes; its
links open each page already set up. Every page's settings live in its link, so a copied
address reopens the same view; a link with `present=1` opens presenter mode, with chart
text large enough for a projector.
"""
)
st.subheader(f"{len(REGISTRY)} activations in the gallery")
st.markdown(" · ".join(a.name for a in REGISTRY.values()))
for file, label in (("pages/course.py", "Start the course"), ("pages/gallery.py", "Open the activation gallery")):
    st.page_link(file, label=label, icon=page_state.PAGES[file].icon, query_params=STATE.carry({}))
STATE.sync()
