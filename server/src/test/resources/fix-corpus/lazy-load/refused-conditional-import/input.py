import sys
if sys.platform == "win32":
    import winreg


def read():
    return winreg.HKEY_CURRENT_USER
