;; The Python facts query (see analyzer/parse/python_facts.cpp). Each capture hands one node to
;; C++, which reads its fields; no predicates are used because the C API does not evaluate them.
;; Strings and comments are leaves of the grammar, so nothing inside them is ever captured.

(import_statement) @import
(import_from_statement) @import_from

(call function: (_) @call.function) @call

(decorator) @decorator

(class_definition) @class
(function_definition) @function

(assert_statement) @assert

;; `if __name__ == "__main__":`; C++ keeps it only for an `if` at module level.
(if_statement condition: (comparison_operator) @main_guard) @main_if

;; `client = MlflowClient()` lets `client.create_model_version()` resolve through the import.
(assignment left: (identifier) @assign.target right: (call function: (_) @assign.function))
