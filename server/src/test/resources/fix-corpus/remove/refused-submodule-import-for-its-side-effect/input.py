import hvplot.pandas
