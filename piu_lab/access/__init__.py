"""Access control: the staff register and purpose-bound policy decisions.

Royal decree of 21 December 2017 (AR) and law of 25 December 2016; see
:mod:`piu_lab.access.register` and :mod:`piu_lab.access.policy`.
"""
