package dev.adjoint.processor.diagnostics;

/**
 * Every message the processor can print, in one place. Each has a stable id, shown in brackets
 * at the start of the text, which the diagnostics catalogue in the README and the tests refer to.
 * Arguments are filled with {@link String#format}.
 */
public enum Message {
  // The annotated method itself.
  NOT_STATIC(101, "@Differentiable method %s must be static: %s"),
  NO_BODY(102, "@Differentiable method %s has no body to differentiate"),
  UNSUPPORTED_RETURN_TYPE(103, "@Differentiable method %s returns %s; it must return double (or double[], double[][], Matrix or a record of doubles for a vector-valued function)"),
  UNSUPPORTED_PARAMETER_TYPE(104, "parameter %s has type %s; @Differentiable methods take double, float (differentiated as a double), int, long, boolean, arrays of them but float (up to double[][]; declare a float[] as double[]), Matrix, String and enum values (data), and records of these: declare it as one of these"),
  NO_DIFFERENTIABLE_PARAMETER(105, "@Differentiable method %s has no parameter to differentiate: it needs a double, double[] or double[][] parameter"),
  WRT_UNKNOWN(106, "wrt names \"%s\", which is not a parameter of %s; its parameters are: %s"),
  WRT_NOT_DIFFERENTIABLE(107, "wrt names \"%s\" of type %s; only double, double[], double[][], Matrix and records holding them can be differentiated"),
  DUPLICATE_METHOD_NAME(108, "two @Differentiable methods named %s in %s would share the generated class %s; rename one of them"),
  PARAMETER_NAMED_VALUE(109, "differentiated parameter \"value\" would clash with the gradient's value() accessor; rename the parameter"),
  GENERIC_METHOD(110, "@Differentiable method %s has type parameters; write it for double values without generics"),
  VARARGS_METHOD(111, "@Differentiable method %s takes varargs; declare the parameter as an array (double[]) instead"),
  NOT_IN_CLASS(112, "@Differentiable method %s must be declared in a class, not an %s"),
  HIDDEN_PARAMETER_TYPE(265, "parameter %s has type %s, which the generated companion cannot name (%s); make the type package-private or public"),
  HIGHER_ORDER_PARAMETER(114, "also = %s: HESSIAN and TAYLOR are generated for double, double[] and double[][] parameters, HESSIAN also for records of them; %s has type %s, which they cannot differentiate yet (a Matrix, or a record holding one, in a Hessian): leave it out of wrt, or ask for TANGENT or the gradient only"),
  HIGHER_ORDER_RETURN(115, "also = TAYLOR is generated for methods returning double; %s returns %s"),
  TAYLOR_PARAMETERS(116, "also = TAYLOR gives derivatives of a function of one double parameter; %s differentiates %s (choose one with wrt)"),
  LOCAL_CLASS(117, "@Differentiable method %s is in a class declared inside a method or initialiser, which annotation processors cannot see, so Adjoint generated nothing for it; move the class out (a nested static class or a top-level class)"),
  PRIVATE_METHOD(113, "@Differentiable method %s is private, so its generated companion cannot call it; make it package-private or public"),

  // Instance methods: the receiver and its fields.
  OVERRIDABLE_METHOD(230, "%s %s can be overridden by a subclass, whose objects would then run a body other than the one Adjoint differentiates; make the method (or its class) final"),
  NON_FINAL_FIELD(231, "%s reads the field %s, which is not final: its value may change between the runs of the method that derivative code makes; make the field final, or pass its value as a parameter"),
  FIELD_NOT_READABLE(232, "the generated companion cannot read the field %s: %s; pass what the method needs from it as a parameter"),
  WRT_FIELD(233, "wrt names \"%s\": %s"),
  FIELD_PARTIAL_THROUGH_CALL(234, "%s is called on this object while wrt differentiates its field(s) %s, which the call may read, and partials of fields through calls are not supported; make %s static and pass those fields to it as arguments"),

  // The body.
  UNSUPPORTED_STATEMENT(201, "%s is not supported in a @Differentiable method; supported statements: local variable declarations, assignments (= += -= *= /=), ++ and --, if/else, switch over int, String and enum, for, enhanced for over arrays, while, do-while, break, continue, yield and return"),
  UNSUPPORTED_EXPRESSION(202, "%s is not supported in a @Differentiable method; supported expressions: numeric and boolean literals, + - * / %%, comparisons, && || !, ?:, switch expressions over int, String and enum, casts between int, long and double, array reads and .length, static final constants, and static calls to java.lang.Math, @Differentiable methods and functions with a @DerivativeRule"),
  UNSUPPORTED_LOCAL_TYPE(203, "local variable %s has type %s; locals may be double, int, long, boolean (float is widened to double), arrays of them, Matrix, String or an enum: compute values of other types outside the method and pass in the numbers"),
  NO_DERIVATIVE_RULE(204, "no derivative rule for %s, but a differentiated value flows into its argument %s; use a java.lang.Math function, a @Differentiable method, or declare a @DerivativeRule for it"),
  FIELD_WRITE(205, "assignment to %s: a @Differentiable method may assign only its own local variables and local arrays"),
  NON_CONSTANT_FIELD(206, "%s is not a static final field; a @Differentiable method may read only its parameters, locals and static final constants"),
  PARAMETER_ARRAY_WRITE(207, "writing into parameter array %s would change the caller's data, and reverse mode needs the original values; copy it into a local array first"),
  ASSIGNMENT_IN_EXPRESSION(208, "the array variable %s is re-assigned inside an expression after the expression has read it; Adjoint keeps Java's order of evaluation by copying such values into locals, which would give the array a second name; write the assignment as a statement of its own"),
  UNSUPPORTED_CALL(209, "call to %s is not supported: a @Differentiable method may call static methods of java.lang.Math and StrictMath, other @Differentiable methods and functions with a @DerivativeRule"),
  ARRAY_ALIAS(210, "%s would make two names for one array, which reverse mode cannot follow; create the array here with new or an initialiser, or copy it"),
  UNSUPPORTED_LABEL(211, "label %s is on a statement that is not a loop; only loops may be labelled"),
  FLOAT_NOT_SUPPORTED(213, "%s is an array of float; float locals and literals are widened to double, but arrays of them cannot be: declare it double[]"),
  ARGUMENT_NOT_DIFFERENTIATED(214, "%s does not differentiate its parameter %d (its wrt leaves it out), but a differentiated value flows into it; add the parameter to its wrt"),
  ENDLESS_LOOP(215, "this loop never ends: it has no condition that can become false and no break or return, so the method has no value to differentiate"),
  ARRAY_WRITE_THROUGH_ALIAS(216, "writing into %s, which shares its array with another variable since `%s`; reverse mode treats the two as separate arrays, so give each its own array (new double[...])"),
  PARAMETER_ARRAY_REASSIGNED(226, "`%s` re-assigns parameter array %s, which is not supported: the parameter must keep naming the caller's array, whose partial the gradient reports; declare a local array variable for the new array and use that instead"),
  COMPUTED_ARRAY_ELEMENT(227, "`%s` uses an element of an array computed in the expression (a call's result or an initialiser), which Adjoint cannot differentiate through; store the array in a local variable first (double[] r = ...; then r[i]), or, for an entry of a Matrix, use m.get(i, j)"),
  RECORD_VALUE(235, "`%s` uses the record %s as a value that Adjoint cannot take apart into its components; in a @Differentiable method or helper a record is built with new, assigned whole to a record variable, returned, passed to a call or read through its accessors: write it as one of these (a record chosen by ?: or switch as an if/else of assignments)"),
  RECORD_OWN_CODE(236, "record %s, which Adjoint would skip, since it takes a record built in the method apart into its components; leave the record to what Java generates, or build it outside and pass it in as a parameter"),
  RECORD_RESULT_CALL(237, "%s returns a record, which differentiated code takes only from a helper that Adjoint differentiates automatically (a static method of this compilation without @Differentiable, returning a record of doubles), but %s; call it outside and pass the record in, or return its components in a double[]"),
  RECORD_RESULT_MODES(238, "also = %s: %s returns the record %s, whose companion has its pullback (seeded by a record of that type) and, with TANGENT, its forward mode; HESSIAN and TAYLOR are generated for methods returning double: ask for TANGENT, or return a double"),
  CALLEE_WITHOUT_TANGENT(219, "forward mode goes through %s only if it has its own: add TANGENT to its @Differentiable(also = ...)"),
  CALLEE_WITHOUT_SERIES(264, "Taylor mode goes through %s only if it has its own: add TAYLOR to its @Differentiable(also = ...) (which needs it to differentiate one double parameter), or remove its annotation so that Adjoint differentiates it as a helper"),
  CALLEE_WITHOUT_HESSIAN(220, "the Hessian goes through %s only if it has its own: add HESSIAN to its @Differentiable(also = ...)"),
  OPAQUE_CALL_GETS_VARIED_ARRAY(221, "%s holds differentiated values and is handed to %s, a method whose derivative and effects Adjoint cannot see: it may write the array; make that method @Differentiable, give it a @DerivativeRule, or hand it an array that does not depend on the differentiated parameters"),
  OPAQUE_CALL_IN_BRANCH(222, "%s, whose effects Adjoint cannot see (no rule, not @Differentiable), is called in a branch of ?:, && or || inside a value, so derivative code could not tell whether it ran; compute it in an if statement of its own"),
  CALLEE_NOT_RECOMPUTABLE(223, "%s makes calls of unknown purity or reads static arrays (itself or through what it calls), and the reverse sweep here would run it a second time through its pullback; make those calls here and pass their values to it as arguments"),
  CONSTANT_NOT_VISIBLE(224, "%s cannot be read by the generated companion: %s, and its value is computed when the class loads, so Adjoint cannot copy it; make it package-private (compile-time constants such as `private static final double C = 2.5` are copied and may stay private)"),
  UNRESOLVED_NAME(225, "cannot find %s, so Adjoint did not differentiate this method; declare it or fix its spelling (a class that another annotation processor generates must be generated by the end of processing)"),
  HELPER_NOT_DIFFERENTIABLE(270, "a differentiated value flows into %s, which is not @Differentiable and which Adjoint cannot differentiate automatically: %s; rewrite that, or give %s a @DerivativeRule"),
  HELPER_FAILED(271, "%s, a helper Adjoint differentiates automatically for this call, cannot be differentiated: %s; rewrite that, or give it a @DerivativeRule"),
  HIDDEN_HELPER(272, "%s cannot be called from the generated companion (it is private, or not visible from this package), and Adjoint cannot copy it there: %s; make it package-private, or rewrite that"),
  IN_PLACE_HELPER_RECURSIVE(273, "%s writes into an array it is given (or returns nothing), so Adjoint runs it in place at each call, which it cannot do for a call of itself (recursion, here through %s); write the recursion as a loop, or return a new array instead of filling one"),
  OUT_ARRAY_IS_PARAMETER(274, "%s writes into its parameter %s, and the argument %s is a parameter of the method being differentiated: that would change the caller's data, and reverse mode needs the original values; copy it into a local array first (double[] copy = new double[%s.length]; then copy the elements) and pass the copy"),
  IN_PLACE_HELPER_ELSEWHERE(275, "%s writes into an array it is given (or returns nothing), so Adjoint runs it in place at each call, which needs its source in the same file as the caller; move it into this file (it may stay in another class there), or return a new array instead of filling one"),
  IN_PLACE_HELPER_FAILED(276, "%s returns nothing, so Adjoint runs it in place (its statements as if written here), but cannot: %s; rewrite that, or make it return its result"),
  NOT_IN_CATALOGUE(262, "%s is not in the catalogue of differentiable Math functions, but a differentiated value flows into its argument %s; the catalogue: %s. Write the computation with those, or declare a @DerivativeRule(owner = Math.class, method = ...) for it"),
  FUNCTION_OBJECT(263, "%s is a function object, which Adjoint cannot differentiate through; %s"),
  FUNCTION_REFERENCE_TARGET(250, "%s is passed to %s as a function, so Adjoint must differentiate it, and cannot: %s; pass a reference to a static method, @Differentiable (with also = TANGENT) or a helper Adjoint differentiates, that has this shape: %s"),
  SWITCH_SELECTOR(260, "switch over `%s`: a @Differentiable method switches over int, String and enum values only; convert the selector to an int (a char c as (int) c, with int case labels) or pass it in as one of those"),
  SWITCH_EXPRESSION_TYPE(261, "this case of a switch expression yields a %s, and the switch expression stands where Adjoint cannot tell its type; assign the switch expression to a local of the type you mean (int k = switch ...) and use that"),
  ALIAS_OF_OUTER_ARRAY(217, "`%s` gives a second name to %s, which is declared outside this block; give a second name only to an array declared in the same block, or copy it"),

  // Generated code and the JVM's limits.
  GENERATED_TOO_LARGE(280, "the derivatives of this method are too large for the JVM even split into methods of at most 8,000 bytes: %s, and a class file holds at most 65,535; move parts of the computation into helper methods (static methods of this class, differentiated with it) or into @Differentiable methods it calls"),

  // Custom derivative rules.
  RULE_NOT_STATIC(301, "@DerivativeRule method %s must be static"),
  RULE_RETURN_TYPE(302, "@DerivativeRule method %s must return %s (the partial derivative, or the seed's contribution in the pullback form), not %s"),
  RULE_OWNER_NOT_FOUND(303, "@DerivativeRule names owner %s, which is not a class on the classpath"),
  RULE_FUNCTION_NOT_FOUND(304, "@DerivativeRule method %s matches no method %s.%s%s; a rule takes the function's parameters in order (the receiver first for an instance method), optionally followed by one for the function's value, and, for functions of or into arrays and matrices, the seed last (the tangent of wrt in the tangent form)"),
  RULE_WRT_REQUIRED(305, "@DerivativeRule for %s, a function of %d parameters, must say which partial it gives with wrt = one of %s"),
  RULE_WRT_UNKNOWN(306, "@DerivativeRule wrt = \"%s\" names no parameter of %s; its parameters are %s"),
  RULE_DUPLICATE(307, "a second @DerivativeRule for the partial of %s with respect to parameter %d (counting from 1); keep one"),
  RULE_TANGENT_PARAMETER(309, "tangent-form @DerivativeRule method %s must take the tangent of wrt, of type %s, as its last parameter, not %s"),
  RULE_FUNCTION_INTERFACE(251, "@DerivativeRule method %s declares parameter %s of type %s for a function parameter of type %s; that type must be an interface extending %s with exactly two abstract methods more, `%s` (adds seed times each partial into the arrays) and `%s` (the derivative along the tangents), but %s"),
  RULE_WRT_NOT_DIFFERENTIABLE(308, "@DerivativeRule wrt = \"%s\" names a parameter of type %s, which is not differentiated; rules are for double, double[], double[][] and Matrix parameters"),

  // The processor itself.
  RUNTIME_MISSING(401, "the Adjoint runtime (dev.adjoint:adjoint-runtime) is not on the classpath; generated code needs it, add it as a dependency"),
  INTERNAL_ERROR(402, "internal error in Adjoint while processing %s: %s. Please report it; compile with -Aadjoint.debug=true for the stack trace"),
  COMPANION_NAME_TAKEN(403, "a class named %s already exists, but Adjoint generates the gradients of %s there; rename that class");

  /** ADJ263's advice for a lambda or method reference that no function parameter takes. */
  public static final String CALL_A_STATIC_METHOD = "write its body as a static method of this class and call that method directly (Adjoint differentiates calls of @Differentiable methods and of functions with a @DerivativeRule)";
  /** ADJ263's advice for a method reference passed to a function without derivative rules: the format takes its name. */
  public static final String ONLY_TO_FUNCTIONS_WITH_RULES = "Adjoint passes a method reference only to a function whose @DerivativeRule methods take it (see \"Functions as arguments\" in the README), and %s has no rule; " + CALL_A_STATIC_METHOD;
  /** ADJ263's advice for a lambda passed as the function parameter of a function with derivative rules. */
  public static final String PASS_A_METHOD_REFERENCE = "pass a method reference to a static method instead (write the lambda's body as a static method of this class, @Differentiable or a helper, and pass Owner::method): Adjoint differentiates that method for the function's rules";

  private final int id;
  private final String format;

  Message(int id, String format) {
    this.id = id;
    this.format = format;
  }

  /** The stable id, such as {@code ADJ201}. */
  public String id() {
    return "ADJ" + id;
  }

  /** The full text for these arguments, starting with the id in brackets. */
  public String format(Object... arguments) {
    return "[" + id() + "] " + String.format(format, arguments);
  }
}
