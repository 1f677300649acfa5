from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
