"""Command-line client: ask the ScatterPlot service for a chart and write it to a file.

``python -m client [options]`` (see ``python -m client --help``).

``cli``      the command line: options, validation, ``main(argv) -> int``
``request``  the options -> the HTTP request (query string, CSV or JSON body, Azure ML request)
``fetch``    httpx with timeouts and bounded retries (tenacity) honouring ``Retry-After``
``answer``   every answer shape -> the image's announced type and bytes
``images``   check the bytes are the announced type; describe their size
"""
