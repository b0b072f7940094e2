"""Weight initialisation: the schemes' std against torch's own initialisers, and each activation's
usual scheme as the engine and the lessons read it."""
import math

import pytest
import torch

from activations import REGISTRY, Activation, initialisation

FAN_IN, FAN_OUT = 300, 40


@pytest.mark.parametrize("scheme, torch_init", [
    ("he", lambda w, g: torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu", generator=g)),
    ("xavier", lambda w, g: torch.nn.init.xavier_normal_(w, generator=g)),
    ("lecun", lambda w, g: torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="linear", generator=g)),
])
def test_std_is_the_one_torchs_initialiser_uses(scheme, torch_init):
    """Same generator, same draws: the weights equal torch's He (Kaiming), Xavier and LeCun normal."""
    ours = torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64).normal_(
        0, initialisation.std(scheme, FAN_IN, FAN_OUT), generator=torch.Generator().manual_seed(3))
    theirs = torch_init(torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64), torch.Generator().manual_seed(3))
    torch.testing.assert_close(ours, theirs, rtol=1e-12, atol=0)


def test_std_rejects_an_unknown_scheme():
    with pytest.raises(ValueError, match="unknown initialisation"):
        initialisation.std("orthogonal", FAN_IN, FAN_OUT)


def test_every_activation_has_a_scheme_and_usual_resolves_to_it():
    for act in REGISTRY.values():
        assert act.init in initialisation.SCHEMES
        assert act.init_scheme("usual") == act.init
        assert {act.init_scheme(s) for s in initialisation.SCHEMES} == set(initialisation.SCHEMES)
    with pytest.raises(ValueError, match="unknown initialisation"):
        REGISTRY["relu"].init_scheme("auto")


def test_the_default_follows_the_slug_and_an_entry_can_set_its_own():
    relu = REGISTRY["relu"]
    fields = dict(slug="my_tanh", name="t", latex="", summary="", _forward=math.tanh, _derivative=math.tanh,
                  _torch=relu._torch)
    assert Activation(**fields).init == "he"  # an unknown slug: the rectifier default
    assert Activation(**{**fields, "slug": "tanh"}).init == "xavier"
    assert Activation(**fields, init="lecun").init == "lecun"
    with pytest.raises(ValueError, match="unknown initialisation"):
        Activation(**fields, init="uniform")


def test_the_widgets_help_names_each_activations_usual_scheme():
    by_scheme = {s: {slug for slug, a in REGISTRY.items() if a.init == s} for s in initialisation.SCHEMES}
    assert by_scheme["xavier"] == {"sigmoid", "tanh", "softmax"} and by_scheme["lecun"] == {"selu"}
    assert "Xavier for sigmoid, tanh and softmax, LeCun for SELU, He for the rest" in initialisation.HELP
