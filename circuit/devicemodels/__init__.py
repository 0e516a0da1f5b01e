"""Device models from datasheet figures: model EMISSION, FITTING and VERIFICATION by simulation.

This package is the SPICE-model half of the datasheet pipeline (issue 4). Extraction produces
parameters; this package turns them into ngspice models whose free parameters are fitted with
:func:`scipy.optimize.least_squares` against the datasheet's own test conditions, simulated with
:func:`circuit.sim.simulate`, and reports every test point. Use it; do not write another.

Input: a device in the label format of ``datasets/datasheets/labels/*.json`` ::

    {"part": "IRF540N", "class": "mosfet",          # diode | bjt | mosfet | opamp | regulator
     "params": {"RDS_on": {"value": 0.044, "kind": "max", "unit": "ohm",
                           "conditions": "VGS=10V, ID=16A"}, ...},   # text, or a dict {"VGS": 10, "ID": 16}
     "extra_params": {...}}

or a :class:`Device`, or a ``knowledge.datasheet.model.Extraction`` (its ParamValue list).

Public API::

    from circuit.devicemodels import (build_model, model_from_file, load_device, Device,
        DeviceModel, Verification, TestPoint, model_lib_text, write_model_lib,
        component_record, record_yaml, plot_verification, ModelError, DeviceError)

    m = build_model(label_dict_or_extraction)     # -> DeviceModel (raises ModelError/DeviceError on
                                                   #    unusable input; a model that misses is returned
                                                   #    with m.verification.passed == False)
    m.spice_text()          # ".model M_IRF540N VDMOS(nchan VTO=... )" or the ".subckt ... .ends" block
    m.model_text()          # "VDMOS(nchan ...)" card body (component record spice.model)
    m.verification          # .points [TestPoint(name, conditions, datasheet, basis, unit, simulated,
                            #   .error, .passed)], .passed, .fraction, .table(), .summary(),
                            #   .defaults {param: why}, .as_dict()
    m.defaults              # parameters the datasheet did not give, with the default used and why
    write_model_lib(m, out_dir / "MODEL.lib")      # injection-safe text, verification table as comments
    component_record(m, source="IRF540N.pdf")      # dict valid for knowledge.library.parse_record
    record_yaml(m, source=...)                     # the same as YAML for `circuitsmith kb add`
    plot_verification(m, out_dir / "model.png")    # simulated curve + datasheet points (png or svg)

Models: diode ``D`` (IS/N/RS from VF points, CJO from CJ, BV/IBV from VRRM/IR, TT from trr);
BJT Gummel-Poon ``NPN``/``PNP`` (BF/IKF/NKF/ISE/NE from hFE points, RC/BR from VCE(sat), IS/RB
from VBE, TF from fT, CJC/CJE from Cob/Cib); MOSFET ``VDMOS`` N/P (VTO from VGS(th), KP/RD from
RDS(on) and gfs, CGS/CGDMIN/CJO from Ciss/Crss/Coss, body diode from VSD, RG); op-amp macromodel
subcircuit (GBW, SR, AVOL, VOS, IB/IOS, IQ, output swing, current limit); linear regulator
behavioural subcircuit (VOUT/VREF, dropout, load/line regulation, IQ/IADJ).
Each module's docstring lists its test points, what is fitted and the documented defaults.
Test points pass within 10 % (:data:`TOLERANCE`).
"""

from .build import CLASSES, build_model, canonical_class, model_from_file
from .device import Device, DeviceError, Param, Spec, load_device, parse_conditions
from .libfile import model_lib_text, write_model_lib
from .model import DeviceModel, ModelError
from .plots import plot_verification
from .record import component_record, record_key, record_yaml
from .verification import TOLERANCE, TestPoint, Verification

__all__ = [
    "build_model", "model_from_file", "load_device", "canonical_class", "CLASSES",
    "Device", "Param", "Spec", "parse_conditions", "DeviceError",
    "DeviceModel", "ModelError", "Verification", "TestPoint", "TOLERANCE",
    "model_lib_text", "write_model_lib", "component_record", "record_yaml", "record_key",
    "plot_verification",
]
