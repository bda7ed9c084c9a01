"""Binds `contracts` to the installed package before the tests import it."""

import importlib
import sys

# With --import-mode=importlib pytest imports these files as `contracts.tests.*`, after their folder, and
# registers the `contracts/` project folder as a stand-in `contracts` module that hides the real package.
_stand_in = sys.modules.get("contracts")
if _stand_in is not None and getattr(_stand_in, "__file__", None) is None:
    del sys.modules["contracts"]
    importlib.import_module("contracts")
