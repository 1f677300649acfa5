from backports.zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
