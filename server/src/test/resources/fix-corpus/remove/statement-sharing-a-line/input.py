import pathlib2; import os
print(os.sep)
