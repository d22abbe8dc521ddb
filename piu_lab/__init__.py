"""PIU Lab: the analytical workbench of a Passenger Information Unit.

Use the facade, :mod:`piu_lab.api`; everything else is an implementation layer.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
