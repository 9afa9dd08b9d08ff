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
;; String literals (hard-coded paths, registry URIs); a string alone as a statement is a
;; docstring or a comment in disguise, and C++ drops those.
(string) @string
(expression_statement (string) @docstring)

;; Conditions that may gate a step (`if auc > best:` before a registry call).
(if_statement condition: (_) @condition)
(elif_clause condition: (_) @condition)
