"""A local host for the Functions app, serving it the way ``func start`` does.

``python -m devhost [--host 127.0.0.1] [--port 7071] [--root .]`` loads ``local.settings.json``
into the environment, reads ``host.json`` and every ``*/function.json``, imports each function
and answers HTTP requests by calling ``main(<binding name>=azure.functions.HttpRequest)`` in a
thread pool, as the Python worker does.

``config``     host.json and function.json -> ``FunctionConfig`` (with static checks)
``routes``     Functions route templates (``{id:int}``, ``{name?}``, ``{*rest}``)
``keys``       function and master keys (``authLevel``)
``invoke``     HTTP <-> ``azure.functions.HttpRequest`` / ``HttpResponse``, calling ``main``
``app``        the ASGI application: route, check keys, limit the body, log one line
``settings``   ``local.settings.json`` -> environment
"""
