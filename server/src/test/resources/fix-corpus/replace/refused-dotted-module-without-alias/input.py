import backports.zoneinfo

UTC = backports.zoneinfo.ZoneInfo("UTC")
