"""Deterministic, realistic synthetic Belgian passenger traffic, as carriers send it.

``generate(SynthConfig(days=1, scale="belgium", seed=0))`` makes about 95,000 air journeys a day
on some 660 flights of 80-odd carriers, plus high-speed trains, coaches and a ferry; every PNR
twice (early push at T-48 h and at closure); API manifests; the watchlists of the competent
services; and the ground truth of what is planted (watchlisted travellers under spelling
variants, networks, criteria journeys, persons). ``write_traffic`` writes the EDIFACT messages,
watchlists and truth files. Only synthetic people: no record describes a real person.
"""

from piu_lab.synth.config import SynthConfig
from piu_lab.synth.generate import generate
from piu_lab.synth.schedule import Transport
from piu_lab.synth.traffic import Push, SynthTraffic
from piu_lab.synth.write import write_traffic

__all__ = ["Push", "SynthConfig", "SynthTraffic", "Transport", "generate", "write_traffic"]
