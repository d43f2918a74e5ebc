"""The generated datasets: the national-scale data (`national.py`, with its conferences and trajectories), streamed
into PostgreSQL with COPY (`bulkcopy.py`). Run by `manage.py seed_demo --scale national`."""
