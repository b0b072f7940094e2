"""The dying-ReLU lesson's claim about which dead units stay dead (lessons/course/2-dying-relu.md):
under plain full-batch gradient descent a unit of the first hidden layer that is dead on every
training point stays dead (its inputs are the data), also with weight decay (which scales w and b
alike, so the sign of w·x + b stays), while a dead unit of the second hidden layer can come back
(its inputs are the first layer's outputs, which keep training).

A 2 → 16 → 16 → 2 ReLU net on the moons, full-batch SGD at learning rate 0.5, PyTorch's default
initialisation. Measured over seeds 0–9, 200 steps: second-layer units came back in 7 of 10
seeds (seed 5: 104 times), first-layer units in none."""
import pytest
import torch

from lessons import course
from training.datasets import load

STEPS, LR, SEED = 200, 0.5, 5


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Small matrices: on a busy two-core machine a second OpenMP thread only waits."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def train(weight_decay: float = 0.0):
    """Per step, which units of each hidden layer are dead on every training point, and the
    first layer's pre-activations on the training points."""
    data = load("moons", n=300, seed=0)
    x, y = data.x_train, data.y_train
    torch.manual_seed(SEED)
    net = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(),
                              torch.nn.Linear(16, 2))
    opt = torch.optim.SGD(net.parameters(), lr=LR, weight_decay=weight_decay)  # no momentum
    dead1, dead2, z1s = [], [], []
    for _ in range(STEPS + 1):
        z1 = net[0](x)
        z2 = net[2](net[1](z1))
        dead1.append((z1 <= 0).all(0))
        dead2.append((z2 <= 0).all(0))
        z1s.append(z1.detach())
        loss = torch.nn.functional.cross_entropy(net[4](net[3](z2)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return torch.stack(dead1), torch.stack(dead2), torch.stack(z1s)


def revivals(dead: torch.Tensor) -> int:
    """How many times a unit went from dead on every training point to alive on some."""
    return int((dead[:-1] & ~dead[1:]).sum())


@pytest.mark.parametrize("weight_decay", [0.0, 0.01])
def test_a_dead_second_layer_unit_comes_back_and_a_first_layer_one_never_does(weight_decay):
    dead1, dead2, z1 = train(weight_decay)
    assert revivals(dead2) > 0  # a deeper unit came back
    assert dead1.any() and revivals(dead1) == 0  # a first-layer unit died and stayed dead
    for unit in torch.nonzero(dead1.any(0)).flatten():
        first = int(torch.nonzero(dead1[:, unit])[0])
        assert dead1[first:, unit].all()
        # the sign of w·x + b on every training point stays (it is ≤ 0 from the step it died)
        assert (z1[first:, :, unit] <= 0).all()
        if weight_decay == 0:  # no gradient, no decay: the pre-activations do not change at all
            assert torch.equal(z1[first:, :, unit], z1[first, :, unit].expand_as(z1[first:, :, unit]))


def test_the_lesson_says_which_dead_units_come_back():
    lesson = course.lesson("dying-relu")
    text = " ".join(s.text for s in lesson.steps).replace("\n", " ")
    assert "permanent" not in text
    assert "first hidden layer" in text and "deeper layer" in text and "can come back" in text
    q = next(q for q in lesson.quiz if "come back" in q.text)
    assert "second hidden layer" in q.choices[q.answer]
    assert any("first hidden layer" in c for c in q.choices) and not q.choices[q.answer].startswith("Neither")


def test_the_dying_relu_lesson_cites_what_backs_each_claim():
    """Fleuret's 6.2 "Rectifiers" (seed 001) says nothing about dead units or their causes: the two
    causes come from the handwritten notes (seed 003, named so in the lesson), the dying ReLU itself from Lu et al."""
    lesson = course.lesson("dying-relu")
    sources = {ref.key: claim for ref, claim in lesson.sources}
    assert not any(key.startswith("Fleuret") for key in sources)
    assert any(key.startswith("Lu, ") and "dying ReLU" in claim for key, claim in sources.items())
    text = " ".join(s.text for s in lesson.steps).replace("\n", " ")
    assert "Lu et al., 2019" in text and "handwritten notes" in text
