;; placeholder: the Python facts query
(module) @module
