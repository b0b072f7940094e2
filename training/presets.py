"""Ready-made comparisons for the training lab (overrides of ``Config``'s defaults)."""
PRESETS = {
    "Krizhevsky: ReLU vs tanh": dict(
        dataset="digits", model="conv", depth=3, width=8, activations=("relu", "tanh"), seeds=3,
        optimizer="momentum", lr=0.01, epochs=10, batch_size=128, target_error=0.25),
    "Dying ReLU at high learning rate": dict(
        dataset="moons", depth=3, width=16, activations=("relu", "leaky_relu", "elu"), seeds=4, optimizer="adam",
        lr=0.3, epochs=300),
    "SELU vs ReLU, deep": dict(
        dataset="spiral", n=1000, noise=0.3, classes=3, depth=8, width=32, activations=("selu", "relu", "tanh"),
        seeds=3,
        optimizer="sgd", lr=0.05, epochs=300),
    "ReLU family on spirals": dict(
        dataset="spiral", n=1000, noise=0.3, classes=3, depth=3, width=32,
        activations=("relu", "leaky_relu", "prelu", "rrelu", "elu", "gelu"), seeds=3, optimizer="adam",
        lr=0.01, epochs=400),
}
