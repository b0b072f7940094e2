"""Every paper ReLU Lab cites, as full citations: the registry's entries name them in
``Activation.references`` and the course's lessons by their constant names (``KRIZHEVSKY``, ``MAAS``)
through ``REFERENCES``. Pages render them with ``Reference.markdown()``."""
from .core import Reference

NAIR = Reference("Nair & Hinton, 2010", "Rectified linear units improve restricted Boltzmann machines",
                 "ICML 2010", "https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf")
GLOROT = Reference("Glorot, Bordes & Bengio, 2011", "Deep sparse rectifier neural networks", "AISTATS 2011",
                   "https://proceedings.mlr.press/v15/glorot11a.html")
KRIZHEVSKY = Reference("Krizhevsky, Sutskever & Hinton, 2012",
                       "ImageNet classification with deep convolutional neural networks", "NeurIPS 2012",
                       "https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-neural-networks")
MAAS = Reference("Maas, Hannun & Ng, 2013", "Rectifier nonlinearities improve neural network acoustic models",
                 "ICML Workshop on Deep Learning for Audio, Speech and Language Processing, 2013")
XU = Reference("Xu, Wang, Chen & Li, 2015", "Empirical evaluation of rectified activations in convolutional network",
               "arXiv:1505.00853", "https://arxiv.org/abs/1505.00853")
HE = Reference("He, Zhang, Ren & Sun, 2015",
               "Delving deep into rectifiers: surpassing human-level performance on ImageNet classification",
               "ICCV 2015, arXiv:1502.01852", "https://arxiv.org/abs/1502.01852")
CLEVERT = Reference("Clevert, Unterthiner & Hochreiter, 2015",
                    "Fast and accurate deep network learning by exponential linear units (ELUs)",
                    "ICLR 2016, arXiv:1511.07289", "https://arxiv.org/abs/1511.07289")
KLAMBAUER = Reference("Klambauer, Unterthiner, Mayr & Hochreiter, 2017", "Self-normalizing neural networks",
                      "NeurIPS 2017, arXiv:1706.02515", "https://arxiv.org/abs/1706.02515")
BARRON = Reference("Barron, 2017", "Continuously differentiable exponential linear units", "arXiv:1704.07483",
                   "https://arxiv.org/abs/1704.07483")
HENDRYCKS = Reference("Hendrycks & Gimpel, 2016", "Gaussian error linear units (GELUs)", "arXiv:1606.08415",
                      "https://arxiv.org/abs/1606.08415")
RAMACHANDRAN = Reference("Ramachandran, Zoph & Le, 2017", "Searching for activation functions",
                         "arXiv:1710.05941", "https://arxiv.org/abs/1710.05941")
ELFWING = Reference("Elfwing, Uchibe & Doya, 2018",
                    "Sigmoid-weighted linear units for neural network function approximation in reinforcement learning",
                    "Neural Networks 107, arXiv:1702.03118", "https://arxiv.org/abs/1702.03118")
MISRA = Reference("Misra, 2019", "Mish: a self regularized non-monotonic activation function",
                  "BMVC 2020, arXiv:1908.08681", "https://arxiv.org/abs/1908.08681")
DUGAS = Reference("Dugas, Bengio, Bélisle, Nadeau & Garcia, 2001",
                  "Incorporating second-order functional knowledge for better option pricing", "NeurIPS 2000")
KRIZHEVSKY10 = Reference("Krizhevsky, 2010", "Convolutional deep belief networks on CIFAR-10", "Technical report",
                         "https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf")
HOWARD = Reference("Howard et al., 2019", "Searching for MobileNetV3", "ICCV 2019, arXiv:1905.02244",
                   "https://arxiv.org/abs/1905.02244")
SHANG = Reference("Shang, Sohn, Almeida & Lee, 2016",
                  "Understanding and improving convolutional neural networks via concatenated rectified linear units",
                  "ICML 2016, arXiv:1603.05201", "https://arxiv.org/abs/1603.05201")
GOODFELLOW13 = Reference("Goodfellow, Warde-Farley, Mirza, Courville & Bengio, 2013", "Maxout networks",
                         "ICML 2013, arXiv:1302.4389", "https://arxiv.org/abs/1302.4389")
GOODFELLOW16 = Reference("Goodfellow, Bengio & Courville, 2016", "Deep Learning", "MIT Press, ch. 6",
                         "https://www.deeplearningbook.org/")
LECUN98 = Reference("LeCun, Bottou, Orr & Müller, 1998", "Efficient BackProp",
                    "Neural Networks: Tricks of the Trade, Springer")
BRIDLE = Reference("Bridle, 1990",
                   "Probabilistic interpretation of feedforward classification network outputs, "
                   "with relationships to statistical pattern recognition",
                   "in Fogelman Soulié & Hérault (eds.), Neurocomputing: Algorithms, Architectures and "
                   "Applications, NATO ASI Series F68, Springer, 1990")
FLEURET = Reference("Fleuret, 2019", "EE-559 Deep learning, 6.2 Rectifiers", "EPFL lecture notes",
                    "https://fleuret.org/ee559/")
BISHOP94 = Reference("Bishop, 1994", "Mixture density networks", "Technical report NCRG/94/004, Aston University")
GLOROT10 = Reference("Glorot & Bengio, 2010",
                     "Understanding the difficulty of training deep feedforward neural networks", "AISTATS 2010",
                     "https://proceedings.mlr.press/v9/glorot10a.html")
LU19 = Reference("Lu, Shin, Su & Karniadakis, 2019", "Dying ReLU and initialization: theory and numerical examples",
                 "Communications in Computational Physics 28(5), 2020, arXiv:1903.06733",
                 "https://arxiv.org/abs/1903.06733")
MAGNANI09 = Reference("Magnani & Boyd, 2009", "Convex piecewise-linear fitting", "Optimization and Engineering 10(1)")

#: Every paper the app cites, by its name in this module (the course's lessons cite them so).
REFERENCES: dict[str, Reference] = {k: v for k, v in dict(globals()).items() if isinstance(v, Reference)}
