from pathlib2 import Path

HERE = Path(__file__).parent
