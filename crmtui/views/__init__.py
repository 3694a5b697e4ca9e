"""View objects: the frozen rows services return and screens, widgets and the command line read.

Plain data (no storage, no interface, no services), so a widget can take one without reaching
the layers behind it.
"""
