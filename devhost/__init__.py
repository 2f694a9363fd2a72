"""A local host for the Functions app, serving it the way ``func start`` does.

``python -m devhost [--host 127.0.0.1] [--port 7071] [--root .]`` loads ``local.settings.json``
into the environment, binds the port, reads ``host.json`` and every ``*/function.json``, starts
``FUNCTIONS_WORKER_PROCESS_COUNT`` worker processes that each import the functions, and answers
HTTP requests by calling ``main(<binding name>=azure.functions.HttpRequest)`` as the Python
worker does.

``__main__``    the command line
``settings``    ``local.settings.json`` -> environment, CORS origins
``workers``     worker processes and thread pool size from the real host's settings
``server``      the listening socket (a busy port is a one-line error), uvicorn, ``serve``
``supervisor``  several worker processes sharing the socket
``startup``     load the functions into the ASGI app; print what is served
``protocol``    uvicorn's h11 protocol with Kestrel's keep-alive and request-head timeouts
``framing``     absolute-form targets; ``Transfer-Encoding`` with ``Content-Length``
``app``         the ASGI application: route, check keys, limit the body, log one line
``config``      host.json and function.json -> ``FunctionConfig`` (with static checks)
``routes``      route templates (``{id:int}``, ``{name?}``, ``{*rest}``, ``{p:maxlength(0)?}``)
``constraints`` inline route constraints, as ASP.NET Core routing defines them
``keys``        function and master keys (``authLevel``), the key a request presents
``loading``     import ``main`` and check its annotations as the worker does
``inbound``     HTTP request -> ``azure.functions.HttpRequest``, as the host builds it
``invoke``      calling ``main`` (thread pool for sync functions)
``outbound``    ``main``'s return value -> HTTP response, as the worker and host make it
"""
