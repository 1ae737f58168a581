package dev.adjoint.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import dev.adjoint.Derivative;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.JavacWillReport;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.FunctionShape;
import dev.adjoint.processor.ir.SourcePosition;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.rules.RuleCatalogue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Resolves the names a method body uses outside itself: classes (through the compilation unit's
 * package and imports), static final constants and static methods, choosing among overloads by
 * the argument types, as javac will once it attributes the body.
 */
public final class SymbolResolver {
  private final Elements elements;
  private final TypeElement owner;
  private final CompilationUnitTree unit;
  private final RuleCatalogue rules;
  private CalleePurity purity;
  private HelperCalls helpers;
  /** The calls of helpers returning a record, whose value differentiated code holds as a double[] of its leaves. */
  private final java.util.Map<MethodInvocationTree, JavaTypes.RecordShape> recordResults = new java.util.HashMap<>();
  private com.sun.source.util.Trees trees;

  /**
   * Resolves names of {@code owner}'s code; {@code purity} says which callees derivative code may
   * run again, {@code helpers} which methods without annotation are differentiated automatically.
   */
  public SymbolResolver(Elements elements, TypeElement owner, CompilationUnitTree unit, RuleCatalogue rules,
      CalleePurity purity, HelperCalls helpers) {
    this(elements, owner, unit, rules);
    this.purity = purity;
    this.helpers = helpers;
  }

  SymbolResolver(Elements elements, TypeElement owner, CompilationUnitTree unit, RuleCatalogue rules) {
    this.elements = elements;
    this.owner = owner;
    this.unit = unit;
    this.rules = rules;
  }

  public String ownerQualifiedName() {
    return owner.getQualifiedName().toString();
  }

  /** A static final field {@code name}, of {@code qualifier}'s class or visible unqualified. */
  public Expr constant(Tree tree, ExpressionTree qualifier, String name) {
    SourcePosition at = new SourcePosition(tree, -1);
    List<TypeElement> candidates = qualifier == null ? unqualifiedOwners(name, false) : List.of(resolveType(qualifier));
    for (TypeElement candidate : candidates) {
      for (VariableElement field : ElementFilter.fieldsIn(elements.getAllMembers(candidate))) {
        if (!field.getSimpleName().contentEquals(name)) {
          continue;
        }
        if (!field.getModifiers().containsAll(List.of(Modifier.STATIC, Modifier.FINAL))) {
          throw new CompileError(tree, Message.NON_CONSTANT_FIELD, candidate.getSimpleName() + "." + name);
        }
        Type type = JavaTypes.valueType(field.asType())
            .orElseThrow(() -> new CompileError(tree, Message.UNSUPPORTED_EXPRESSION,
                "the constant " + name + " of type " + field.asType()));
        TypeElement declaring = (TypeElement) field.getEnclosingElement();
        String hidden = hiddenFromCompanion(field);
        if (hidden == null) {
          return new Expr.Constant(declaring.getQualifiedName().toString(), name, type, at);
        }
        if (field.getConstantValue() == null) {
          throw new CompileError(tree, Message.CONSTANT_NOT_VISIBLE, declaring.getSimpleName() + "." + name, hidden);
        }
        return inlined(field.getConstantValue(), type, at);
      }
    }
    if (qualifier != null) {
      // The class exists, and no processor can add a field to it: javac reports the name.
      throw new JavacWillReport("no field " + qualifier + "." + name);
    }
    throw unresolved(tree, "the name " + name);
  }

  /**
   * Why the companion, a top-level class of the owner's package, cannot read {@code member}
   * (private, or neither public nor in that package, itself or a class around it); null if it can.
   */
  private String hiddenFromCompanion(Element member) {
    PackageElement companionPackage = elements.getPackageOf(owner);
    for (Element e = member; e instanceof VariableElement || e instanceof TypeElement; e = e.getEnclosingElement()) {
      String what = e == member ? "it" : "its class " + e.getSimpleName();
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return what + " is private";
      }
      if (!e.getModifiers().contains(Modifier.PUBLIC) && !elements.getPackageOf(e).equals(companionPackage)) {
        return what + (e.getModifiers().contains(Modifier.PROTECTED) ? " is protected" : " is package-private")
            + " in another package";
      }
    }
    return null;
  }

  /** A compile-time constant's exact value, written where the companion cannot name the field. */
  private static Expr inlined(Object value, Type type, SourcePosition at) {
    if (value instanceof Double number && !Double.isFinite(number)) {
      String field = number.isNaN() ? "NaN" : number > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY";
      return new Expr.Constant("java.lang.Double", field, type, at);
    }
    return new Expr.Literal(value, type, at);
  }

  /** A name that does not resolve (yet: it may name a class that another processor generates later). */
  private static CompileError unresolved(Tree tree, String name) {
    return new CompileError(tree, Message.UNRESOLVED_NAME, name);
  }

  /**
   * The final instance field {@code name} of the owner, which an instance method's body reads from
   * its receiver: its IR type; null when the owner has no such field. A field that is not final,
   * of a type the IR lacks, or that the companion cannot read is an error at {@code tree}.
   */
  public Type receiverField(Tree tree, String name) {
    VariableElement field = Receivers.instanceField(elements, owner, name);
    if (field == null) {
      return null;
    }
    String shown = owner.getSimpleName() + "." + name;
    if (!field.getModifiers().contains(Modifier.FINAL)) {
      throw new CompileError(tree, Message.NON_FINAL_FIELD, "this method", shown);
    }
    Type type = JavaTypes.toIr(field.asType()).orElseThrow(() -> new CompileError(tree, Message.FIELD_NOT_READABLE,
        shown, "its type " + field.asType() + " is none of double, int, long, boolean, their arrays and Matrix"));
    if (ownerIsRecord() && !accessorReturnsField(name)) {
      throw new CompileError(tree, Message.FIELD_NOT_READABLE, shown, "the record declares its own accessor " + name
          + "(), which the companion would have to call instead of reading the field");
    }
    String hidden = ownerIsRecord() ? null : hiddenFromCompanion(field);
    if (hidden != null) {
      throw new CompileError(tree, Message.FIELD_NOT_READABLE, shown, hidden + " (make it package-private; it stays final)");
    }
    return type;
  }

  /** Whether {@code name} is an instance field of the owner. */
  public boolean isInstanceField(String name) {
    return Receivers.instanceField(elements, owner, name) != null;
  }

  /** Whether the owner is a record, whose components its methods read through accessors. */
  public boolean ownerIsRecord() {
    return Receivers.isRecord(owner);
  }

  /**
   * Whether {@code name} is a component of the owner, a record, whose accessor returns the field:
   * the accessor javac declares, or one declared as {@code return name;}.
   */
  public boolean accessorReturnsField(String name) {
    return ownerIsRecord() && owner.getRecordComponents().stream()
        .anyMatch(component -> component.getSimpleName().contentEquals(name) && returnsField(component.getAccessor(), name));
  }

  private boolean returnsField(ExecutableElement accessor, String name) {
    com.sun.source.tree.MethodTree tree = trees == null ? null : trees.getTree(accessor);
    if (tree == null || tree.getBody() == null) {
      return trees != null; // javac's own
    }
    List<? extends com.sun.source.tree.StatementTree> statements = tree.getBody().getStatements();
    return statements.size() == 1 && statements.get(0) instanceof com.sun.source.tree.ReturnTree ret
        && (ret.getExpression() instanceof IdentifierTree id && id.getName().contentEquals(name)
            || ret.getExpression() instanceof MemberSelectTree select && isThis(select.getExpression())
                && select.getIdentifier().contentEquals(name));
  }

  /** Lets the resolver read the trees of the owner's methods (its record accessors). */
  public SymbolResolver withTrees(com.sun.source.util.Trees sourceTrees) {
    this.trees = sourceTrees;
    return this;
  }

  /** Whether {@code tree} is {@code this}. */
  public static boolean isThis(ExpressionTree tree) {
    return tree instanceof IdentifierTree id && id.getName().contentEquals("this");
  }

  /** The call, typed and classified: rules, another differentiable method, or plain. */
  public Expr call(MethodInvocationTree call, List<Expr> arguments, SourcePosition at) {
    return call(call, arguments, at, null);
  }

  /**
   * The call, typed and classified; {@code receiver} is the value of {@code this} in an instance
   * method (null in a static one), on which calls of the owner's instance methods are made.
   */
  public Expr call(MethodInvocationTree call, List<Expr> arguments, SourcePosition at, Expr receiver) {
    ExpressionTree select = call.getMethodSelect();
    String name;
    List<TypeElement> candidates;
    if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
      candidates = unqualifiedOwners(name, true);
    } else if (select instanceof MemberSelectTree member && isThis(member.getExpression()) && receiver != null) {
      name = member.getIdentifier().toString();
      candidates = List.of(owner);
    } else if (select instanceof MemberSelectTree member) {
      name = member.getIdentifier().toString();
      TypeElement type = tryResolveType(member.getExpression());
      if (type == null) {
        throw unresolved(member.getExpression(), "the class " + member.getExpression());
      }
      candidates = List.of(type);
    } else {
      throw new CompileError(call, Message.UNSUPPORTED_EXPRESSION, "the call " + call);
    }
    List<Type> argumentTypes = arguments.stream().map(Expr::type).toList();
    Map<Integer, Tree> functionObjects = functionObjectsAmong(arguments);
    for (TypeElement candidate : candidates) {
      ExecutableElement method = chooseOverload(candidate, name, argumentTypes, functionObjects);
      if (method != null && !method.getModifiers().contains(Modifier.STATIC) && receiver != null
          && candidate == owner) {
        Callee callee = receiverCallee(call, method, receiver.type());
        List<Expr> all = new ArrayList<>();
        all.add(receiver);
        all.addAll(withFunctions(callee, method, arguments, functionObjects));
        return new Expr.Call(callee, all, at);
      }
      if (method != null) {
        Callee callee = callee(call, method);
        return new Expr.Call(callee, withFunctions(callee, method, arguments, functionObjects), at);
      }
    }
    if (!functionObjects.isEmpty()) {
      Map.Entry<Integer, Tree> first = functionObjects.entrySet().iterator().next();
      for (TypeElement candidate : candidates) {
        for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(candidate))) {
          Optional<FunctionShape> shape = method.getSimpleName().contentEquals(name)
              && method.getParameters().size() == arguments.size()
              ? JavaTypes.functionShape(method.getParameters().get(first.getKey()).asType()) : Optional.empty();
          if (shape.isPresent() && first.getValue() instanceof MemberReferenceTree) {
            throw new CompileError(first.getValue(), Message.FUNCTION_REFERENCE_TARGET, "`" + first.getValue() + "`",
                candidate.getSimpleName() + "." + name, "it names no static method of that shape", shape.get().signature());
          }
        }
      }
      throw new CompileError(first.getValue(), Message.FUNCTION_OBJECT, TreeLowering.describe(first.getValue()),
          Message.CALL_A_STATIC_METHOD);
    }
    if (argumentTypes.stream().anyMatch(type -> type.base() == Type.Base.OBJECT)) {
      throw new CompileError(call, Message.UNSUPPORTED_CALL, name + " with a record argument (pass its components)");
    }
    for (TypeElement candidate : candidates) {
      for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(candidate))) {
        boolean arityFits = method.getParameters().size() == arguments.size()
            || (method.isVarArgs() && arguments.size() >= method.getParameters().size() - 1);
        if (method.getSimpleName().contentEquals(name) && arityFits) {
          // javac may well accept this call (varargs, boxing...): say what Adjoint cannot take.
          throw new CompileError(call, Message.UNSUPPORTED_CALL, candidate.getSimpleName() + "." + name
              + " with arguments " + argumentTypes.toString().replace('[', '(').replace(']', ')')
              + " (only static methods whose parameters are double, int, long, boolean, their arrays or Matrix)");
        }
      }
    }
    boolean named = candidates.stream().anyMatch(candidate -> ElementFilter.methodsIn(elements.getAllMembers(candidate))
        .stream().anyMatch(method -> method.getSimpleName().contentEquals(name)));
    if (select instanceof MemberSelectTree || named) {
      // A method of that name is in scope, or the class exists: no processor can change what javac reports.
      throw new JavacWillReport("no method " + name + " for " + argumentTypes);
    }
    // Perhaps a static import of a class not generated yet.
    throw unresolved(call, "the method " + name);
  }

  /**
   * A call of an instance method of the record {@code recordClass} on a record parameter, the first
   * of {@code arguments} ({@code model.predict(t)}), classified as calls on the receiver are.
   */
  public Expr callOnRecord(MethodInvocationTree call, String recordClass, List<Expr> arguments, SourcePosition at) {
    String name = ((MemberSelectTree) call.getMethodSelect()).getIdentifier().toString();
    TypeElement record = elements.getTypeElement(recordClass);
    List<Type> argumentTypes = arguments.subList(1, arguments.size()).stream().map(Expr::type).toList();
    ExecutableElement method = record == null ? null : chooseOverload(record, name, argumentTypes, Map.of());
    if (method == null || method.getModifiers().contains(Modifier.STATIC)) {
      throw new CompileError(call, Message.UNSUPPORTED_CALL, recordClass + "." + name
          + argumentTypes.toString().replace('[', '(').replace(']', ')') + " on a record parameter");
    }
    return new Expr.Call(receiverCallee(call, method, arguments.get(0).type()), arguments, at);
  }

  /** The positions of the lambdas and method references among a call's arguments, with their trees. */
  private static Map<Integer, Tree> functionObjectsAmong(List<Expr> arguments) {
    Map<Integer, Tree> functionObjects = new LinkedHashMap<>();
    for (int i = 0; i < arguments.size(); i++) {
      if (arguments.get(i) instanceof Expr.FunctionRef reference) {
        functionObjects.put(i, (Tree) reference.position().tree());
      }
    }
    return functionObjects;
  }

  /**
   * The call's arguments with each method reference resolved against the chosen method's function
   * parameter; a lambda there, or a reference passed to a function without rules, is an error.
   */
  private List<Expr> withFunctions(Callee callee, ExecutableElement method, List<Expr> arguments,
      Map<Integer, Tree> functionObjects) {
    if (functionObjects.isEmpty()) {
      return arguments;
    }
    List<Expr> resolved = new ArrayList<>(arguments);
    for (Map.Entry<Integer, Tree> entry : functionObjects.entrySet()) {
      Tree tree = entry.getValue();
      String function = ((TypeElement) method.getEnclosingElement()).getSimpleName() + "." + method.getSimpleName();
      if (!(callee instanceof Callee.Ruled)) {
        throw new CompileError(tree, Message.FUNCTION_OBJECT, TreeLowering.describe(tree),
            String.format(Message.ONLY_TO_FUNCTIONS_WITH_RULES, function));
      }
      if (tree instanceof LambdaExpressionTree) {
        throw new CompileError(tree, Message.FUNCTION_OBJECT, TreeLowering.describe(tree),
            Message.PASS_A_METHOD_REFERENCE);
      }
      FunctionShape shape = JavaTypes.functionShape(method.getParameters().get(entry.getKey()).asType()).orElseThrow();
      Callee.Differentiable target = referencedFunction((MemberReferenceTree) tree, shape, function);
      resolved.set(entry.getKey(), new Expr.FunctionRef(shape, target, null, arguments.get(entry.getKey()).position()));
    }
    return resolved;
  }

  /** The static method {@code reference} names, with {@code shape}'s parameter types; null if there is none. */
  private ExecutableElement referencedMethod(MemberReferenceTree reference, FunctionShape shape) {
    if (reference.getMode() != MemberReferenceTree.ReferenceMode.INVOKE) {
      return null;
    }
    TypeElement owner = tryResolveType(reference.getQualifierExpression());
    if (owner == null) {
      return null;
    }
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(owner))) {
      if (method.getSimpleName().contentEquals(reference.getName())
          && method.getParameters().stream().map(p -> JavaTypes.toIr(p.asType()).orElse(null)).toList()
              .equals(shape.parameterTypes())
          && JavaTypes.toIr(method.getReturnType()).map(shape.resultType()::equals).orElse(false)) {
        return method;
      }
    }
    return null;
  }

  /** Every static method a method reference may name (all overloads of its name). */
  List<ExecutableElement> methodsReferencedBy(MemberReferenceTree reference) {
    TypeElement owner = tryResolveType(reference.getQualifierExpression());
    if (owner == null) {
      return List.of();
    }
    return ElementFilter.methodsIn(elements.getAllMembers(owner)).stream()
        .filter(method -> method.getSimpleName().contentEquals(reference.getName())
            && method.getModifiers().contains(Modifier.STATIC))
        .toList();
  }

  /**
   * The method {@code reference} names, as the derivative code of {@code function}'s rules calls
   * it: differentiable with respect to every parameter, with a tangent, and recomputable.
   */
  private Callee.Differentiable referencedFunction(MemberReferenceTree reference, FunctionShape shape, String function) {
    String text = "`" + reference + "`";
    ExecutableElement method = referencedMethod(reference, shape);
    if (method == null) {
      throw new CompileError(reference, Message.FUNCTION_REFERENCE_TARGET, text, function,
          "it names no static method with that shape", shape.signature());
    }
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      throw new CompileError(reference, Message.FUNCTION_REFERENCE_TARGET, text, function,
          "it names an instance method", shape.signature());
    }
    Callee callee = callee(reference, method, false, true);
    if (!(callee instanceof Callee.Differentiable target)) {
      String why = callee instanceof Callee.Opaque opaque && opaque.notDifferentiated() != null
          ? opaque.notDifferentiated()
          : callee instanceof Callee.Ruled ? "it has derivative rules of its own but is not @Differentiable"
          : "it is not @Differentiable, and its source is not in this compilation";
      throw new CompileError(reference, Message.FUNCTION_REFERENCE_TARGET, text, function, why, shape.signature());
    }
    int left = target.differentiated().indexOf(null);
    if (left >= 0) {
      throw new CompileError(reference, Message.FUNCTION_REFERENCE_TARGET, text, function, "its wrt leaves out "
          + method.getParameters().get(left).getSimpleName() + ", and the rules need every partial", shape.signature());
    }
    if (!target.hasTangent()) {
      throw new CompileError(reference, Message.CALLEE_WITHOUT_TANGENT, target.name());
    }
    if (!target.recomputable()) {
      throw new CompileError(reference, Message.CALLEE_NOT_RECOMPUTABLE, target.name());
    }
    return target;
  }

  /**
   * The helper {@code call} invokes when Adjoint runs it in place (a void helper, or one that writes
   * into an array it is given; see {@link HelperCalls#inlinedBody}), with a resolver for the names of
   * its body; null for any other call.
   */
  public Inlined inlined(MethodInvocationTree call, List<Type> argumentTypes) {
    if (helpers == null) {
      return null;
    }
    ExecutableElement method = null;
    for (ExecutableElement candidate : methodsNamedBy(call, java.util.Map.of())) {
      method = chooseOverload((TypeElement) candidate.getEnclosingElement(), candidate.getSimpleName().toString(),
          argumentTypes, Map.of());
      if (method != null) {
        break;
      }
    }
    if (method == null || !method.getModifiers().contains(Modifier.STATIC)) {
      return null; // only static helpers run in place
    }
    TypeElement declaring = (TypeElement) method.getEnclosingElement();
    if (DifferentiableSignature.annotationOf(method) != null
        || Callee.isKnownPure(declaring.getQualifiedName().toString(), method.getSimpleName().toString())) {
      return null;
    }
    HelperCalls.Body body = helpers.inlinedBody(method);
    if (body == null) {
      return null;
    }
    if (body.problem() != null) {
      if (method.getReturnType().getKind() == javax.lang.model.type.TypeKind.VOID) {
        throw new CompileError(call, Message.IN_PLACE_HELPER_FAILED,
            declaring.getSimpleName() + "." + method.getSimpleName(), body.problem());
      }
      return null; // a call of unknown purity, as before
    }
    return new Inlined(method, body, new SymbolResolver(elements, declaring, body.unit(), rules, purity, helpers).withTrees(trees));
  }

  /** A helper run in place: the method, its body, and the resolver of the names its body uses. */
  public record Inlined(ExecutableElement method, HelperCalls.Body body, SymbolResolver symbols) {}

  /**
   * A call on a value, such as {@code a.times(b)}: only the runtime's Matrix has methods here, and
   * Strings and enums {@code equals}.
   */
  public Expr instanceCall(MethodInvocationTree call, Expr receiver, List<Expr> arguments, SourcePosition at) {
    String name = ((MemberSelectTree) call.getMethodSelect()).getIdentifier().toString();
    if (name.equals("equals") && arguments.size() == 1 && isDataObject(receiver.type())
        && isDataObject(arguments.get(0).type())) {
      return new Expr.Call(new Callee.Plain(receiver.type().className(), name,
          List.of(receiver.type(), arguments.get(0).type()), Type.BOOLEAN, true), List.of(receiver, arguments.get(0)), at);
    }
    if (receiver.type().base() != Type.Base.MATRIX) {
      throw new CompileError(call, Message.UNSUPPORTED_CALL, "the method " + name + " of a " + receiver.type()
          + " value (only Matrix values have methods here, and String and enum values equals)");
    }
    TypeElement matrix = elements.getTypeElement(Type.MATRIX_CLASS);
    List<Type> argumentTypes = arguments.stream().map(Expr::type).toList();
    ExecutableElement method = chooseOverload(matrix, name, argumentTypes, Map.of());
    if (method == null || method.getModifiers().contains(Modifier.STATIC)) {
      throw new CompileError(call, Message.UNSUPPORTED_CALL, "Matrix." + name + argumentTypes.toString()
          .replace('[', '(').replace(']', ')'));
    }
    List<Type> allTypes = new ArrayList<>();
    allTypes.add(Type.MATRIX);
    for (VariableElement parameter : method.getParameters()) {
      allTypes.add(JavaTypes.toIr(parameter.asType()).orElseThrow(() -> new CompileError(
          call, Message.UNSUPPORTED_CALL, "Matrix." + name + " (parameter type " + parameter.asType() + ")")));
    }
    Type returnType = JavaTypes.toIr(method.getReturnType()).orElseThrow(() -> new CompileError(
        call, Message.UNSUPPORTED_CALL, "Matrix." + name + " (return type " + method.getReturnType() + ")"));
    List<Expr> all = new ArrayList<>();
    all.add(receiver);
    all.addAll(arguments);
    Optional<List<Optional<Callee.PartialRule>>> partials = rules.partialsOf(Type.MATRIX_CLASS, name, allTypes);
    Callee callee = partials.isPresent()
        ? new Callee.Ruled(Type.MATRIX_CLASS, name, allTypes, returnType, partials.get(), true)
        : new Callee.Plain(Type.MATRIX_CLASS, name, allTypes, returnType, true);
    return new Expr.Call(callee, all, at);
  }

  /** Whether a dotted name such as {@code java.lang.Math} or {@code Outer.Inner} names a class. */
  public boolean namesType(ExpressionTree tree) {
    return tryResolveType(tree) != null;
  }

  /** Whether values of this type are Strings or enums, data that switches select on. */
  public boolean isDataObject(Type type) {
    TypeElement element = type.base() == Type.Base.OBJECT && type.isScalar() ? elements.getTypeElement(type.className()) : null;
    return element != null && JavaTypes.isStringOrEnum(element.asType());
  }

  /**
   * The constant {@code name} of the enum {@code enumClass}, as a case label names it; an error when
   * the companion cannot name it.
   */
  public Expr enumConstant(Tree tree, Type enumType, String name) {
    TypeElement type = elements.getTypeElement(enumType.className());
    for (VariableElement constant : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (constant.getKind() == javax.lang.model.element.ElementKind.ENUM_CONSTANT && constant.getSimpleName().contentEquals(name)) {
        String hidden = hiddenFromCompanion(constant);
        if (hidden != null) {
          throw new CompileError(tree, Message.CONSTANT_NOT_VISIBLE, type.getSimpleName() + "." + name, hidden);
        }
        return new Expr.Constant(enumType.className(), name, enumType, new SourcePosition(tree, -1));
      }
    }
    throw new JavacWillReport("no constant " + name + " in " + enumType);
  }

  /** The qualified name of the class a type name such as {@code Matrix} denotes, or null. */
  public String qualifiedTypeName(ExpressionTree tree) {
    TypeElement type = tryResolveType(tree);
    return type == null ? null : type.getQualifiedName().toString();
  }

  /**
   * The shape of the record a type name such as {@code Point} denotes, when Adjoint can take it
   * apart into its components; empty for anything else.
   */
  public Optional<JavaTypes.RecordShape> recordShape(ExpressionTree typeName) {
    TypeElement type = tryResolveType(typeName);
    return type == null ? Optional.empty() : JavaTypes.recordShape(type.asType());
  }

  /** The record a call resolved before returns, as the {@code double[]} of its leaves; empty for other calls. */
  public Optional<JavaTypes.RecordShape> recordResultOf(MethodInvocationTree call) {
    return Optional.ofNullable(recordResults.get(call));
  }

  /** The shape of the record with this qualified name, which Adjoint has taken apart before. */
  public JavaTypes.RecordShape recordShapeNamed(String qualifiedName) {
    return JavaTypes.recordShape(elements.getTypeElement(qualifiedName).asType()).orElseThrow();
  }

  /**
   * What a record of this shape (or one nested in it) declares of its own that runs when it is built
   * or read, such as {@code Point declares its own constructor Point(double, double)}, which taking
   * a record apart into its components would skip; empty when it has only what Java generates. (An
   * accessor of a record compiled earlier cannot be told from a generated one, and counts as generated.)
   */
  public Optional<String> ownRecordCode(JavaTypes.RecordShape shape) {
    TypeElement record = elements.getTypeElement(shape.className());
    for (ExecutableElement member : ElementFilter.constructorsIn(record.getEnclosedElements())) {
      if (elements.getOrigin(member) == Elements.Origin.EXPLICIT
          && member.getParameters().size() == shape.accessors().size()) {
        return Optional.of(record.getSimpleName() + " declares its own constructor " + record.getSimpleName()
            + member.getParameters().stream()
            .map(parameter -> parameter.asType().toString()).collect(java.util.stream.Collectors.joining(", ", "(", ")")));
      }
    }
    for (ExecutableElement member : ElementFilter.methodsIn(record.getEnclosedElements())) {
      if (member.getParameters().isEmpty() && shape.accessors().contains(member.getSimpleName().toString())
          && purity != null && purity.isWrittenInSource(member)) {
        return Optional.of(record.getSimpleName() + " declares its own accessor " + record.getSimpleName() + "."
            + member.getSimpleName() + "()");
      }
    }
    for (Object component : shape.components()) {
      if (component instanceof JavaTypes.RecordShape nested) {
        Optional<String> own = ownRecordCode(nested);
        if (own.isPresent()) {
          return own;
        }
      }
    }
    return Optional.empty();
  }

  /** The callee of a call of the static method {@code method}. */
  private Callee callee(MethodInvocationTree call, ExecutableElement method) {
    return callee(call, method, false, false);
  }

  /**
   * The callee {@code method}, static or (with {@code onReceiver}) an instance method called on the
   * receiver, with the parameter types of its declaration (without the receiver's): how it is
   * differentiated where {@code call} names it. {@code call} is a call, or, with {@code asFunction},
   * a method reference that passes {@code method} to a function with rules, whose derivative code
   * needs its tangent.
   */
  private Callee callee(Tree call, ExecutableElement method, boolean onReceiver, boolean asFunction) {
    TypeElement declaring = (TypeElement) method.getEnclosingElement();
    String ownerName = declaring.getQualifiedName().toString();
    String name = method.getSimpleName().toString();
    if ((!onReceiver && !method.getModifiers().contains(Modifier.STATIC)) || method.isVarArgs()
        || !method.getTypeParameters().isEmpty()) {
      throw new CompileError(call, Message.UNSUPPORTED_CALL, ownerName + "." + name
          + " (only static methods without varargs or type parameters)");
    }
    List<Type> parameterTypes = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      parameterTypes.add(JavaTypes.calleeParameterType(parameter.asType()).orElseThrow(() -> new CompileError(
          call, Message.UNSUPPORTED_CALL, ownerName + "." + name + " (parameter type " + parameter.asType() + ")")));
    }
    Type returnType = JavaTypes.resultToIr(method.getReturnType()).orElseThrow(() -> new CompileError(
        call, Message.UNSUPPORTED_CALL, ownerName + "." + name + " (return type " + method.getReturnType() + ")"));
    if (method.getParameters().stream().anyMatch(parameter -> JavaTypes.needsRules(parameter.asType()))) {
      // A function parameter, or an object (not a record passed to a helper, nor a String or enum):
      // only rules can say what its argument means to the derivative.
      return onReceiver ? Callee.unruled(ownerName, name, parameterTypes, returnType)
          : rules.partialsOf(ownerName, name, parameterTypes)
              .<Callee>map(partials -> new Callee.Ruled(ownerName, name, parameterTypes, returnType, partials, false))
              .orElseGet(() -> Callee.unruled(ownerName, name, parameterTypes, returnType));
    }
    Optional<JavaTypes.RecordShape> recordResult = JavaTypes.recordOfDoubles(method.getReturnType());
    if (recordResult.isPresent()) {
      Callee helper = helpers == null ? null : helpers.callee(call, method, parameterTypes, returnType, false);
      if (helper == null) {
        throw new CompileError(call, Message.RECORD_RESULT_CALL, declaring.getSimpleName() + "." + name,
            DifferentiableSignature.annotationOf(method) != null ? "it is @Differentiable (not supported yet)"
                : "its source is not in this compilation");
      }
      if (call instanceof MethodInvocationTree invocation) {
        recordResults.put(invocation, recordResult.get());
      }
      return helper;
    }
    if (DifferentiableSignature.annotationOf(method) != null) {
      DifferentiableSignature signature = DifferentiableSignature.of(method, elements);
      return new Callee.Differentiable(ownerName, name, parameterTypes, returnType,
          signature.companionQualifiedName(), signature.gradientSimpleName(),
          signature.pullbackName(), signature.differentiated(),
          DifferentiableSignature.hasTangent(DifferentiableSignature.derivativesOf(method, elements)),
          DifferentiableSignature.derivativesOf(method, elements).contains(Derivative.HESSIAN),
          purity == null || purity.isRecomputable(method),
          DifferentiableSignature.derivativesOf(method, elements).contains(Derivative.TAYLOR), onReceiver);
    }
    Optional<List<Optional<Callee.PartialRule>>> partials = onReceiver
        ? Optional.empty() : rules.partialsOf(ownerName, name, parameterTypes);
    if (partials.isPresent()) {
      return new Callee.Ruled(ownerName, name, parameterTypes, returnType, partials.get(), false);
    }
    Callee helper = helpers == null || Callee.isKnownPure(ownerName, name)
        ? null : helpers.callee(call, method, parameterTypes, returnType, asFunction);
    if (helper != null) {
      return helper;
    }
    return Callee.unruled(ownerName, name, parameterTypes, returnType);
  }

  /**
   * The callee of a call of the owner's instance method {@code method} on the receiver, whose type
   * leads the parameter types: another {@code @Differentiable} method, or a helper that Adjoint
   * differentiates or evaluates again as a pure function of data. Anything else could write the
   * receiver's arrays unseen, and a method a subclass may override could run another body: errors.
   */
  private Callee receiverCallee(MethodInvocationTree call, ExecutableElement method, Type receiverType) {
    String shown = method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
    if (Receivers.overridable(method)) {
      throw new CompileError(call, Message.OVERRIDABLE_METHOD, "the method", shown);
    }
    Callee callee = callee(call, method, true, false);
    List<Type> parameterTypes = new ArrayList<>();
    parameterTypes.add(receiverType);
    parameterTypes.addAll(callee.parameterTypes());
    if (callee instanceof Callee.Differentiable differentiable) {
      return new Callee.Differentiable(differentiable.ownerQualifiedName(), differentiable.name(), parameterTypes,
          differentiable.returnType(), differentiable.companionQualifiedName(), differentiable.gradientSimpleName(),
          differentiable.pullbackName(), differentiable.differentiated(), differentiable.hasTangent(),
          differentiable.hasPullbackTangent(), differentiable.recomputable(), differentiable.hasSeries(),
          differentiable.instance());
    }
    if (callee instanceof Callee.Plain plain) {
      return new Callee.Plain(plain.ownerQualifiedName(), plain.name(), parameterTypes, plain.returnType(),
          plain.instance());
    }
    String why = callee instanceof Callee.Opaque opaque && opaque.notDifferentiated() != null
        ? opaque.notDifferentiated() : "its source is not in this compilation";
    throw new CompileError(call, Message.UNSUPPORTED_CALL, shown + " on an object, whose effects Adjoint cannot see ("
        + why + ") and which could write the object's arrays; rewrite that so that Adjoint can differentiate it,"
        + " or make it static");
  }

  /**
   * The overload javac would pick: fewest widening conversions among the applicable ones. At the
   * positions of {@code functionObjects} it takes a function parameter (for a method reference, one
   * whose shape the referenced method has).
   */
  private ExecutableElement chooseOverload(TypeElement type, String name, List<Type> argumentTypes,
      Map<Integer, Tree> functionObjects) {
    ExecutableElement best = null;
    int bestCost = Integer.MAX_VALUE;
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (!method.getSimpleName().contentEquals(name)
          || method.getParameters().size() != argumentTypes.size()) {
        continue;
      }
      int cost = 0;
      for (int i = 0; i < argumentTypes.size() && cost >= 0; i++) {
        if (functionObjects.containsKey(i)) {
          cost = takesFunction(method.getParameters().get(i), functionObjects.get(i)) ? cost : -1;
          continue;
        }
        Optional<Type> parameter = JavaTypes.calleeParameterType(method.getParameters().get(i).asType());
        int conversion = parameter.isPresent() ? conversionCost(argumentTypes.get(i), parameter.get()) : -1;
        cost = conversion < 0 ? -1 : cost + conversion;
      }
      if (cost >= 0 && cost < bestCost) {
        best = method;
        bestCost = cost;
      }
    }
    return best;
  }

  /** Whether {@code parameter} is a function parameter that the lambda or method reference {@code tree} fits. */
  private boolean takesFunction(VariableElement parameter, Tree tree) {
    Optional<FunctionShape> shape = JavaTypes.functionShape(parameter.asType());
    return shape.isPresent() && (!(tree instanceof MemberReferenceTree reference)
        || referencedMethod(reference, shape.get()) != null);
  }

  private static int conversionCost(Type from, Type to) {
    if (from.equals(to)) {
      return 0;
    }
    if (from.isNumeric() && to.isNumeric() && Type.promote(from, to).equals(to)) {
      return to.equals(Type.DOUBLE) && from.equals(Type.INT) ? 2 : 1;
    }
    return -1;
  }

  /**
   * Every method a call may invoke (all overloads of its name, since argument types are not known
   * here): static methods, the owner's instance methods called on {@code this}, and the methods of
   * {@code recordParameters} (by parameter name) called on them; none for other calls on a value
   * (Matrix methods).
   */
  List<ExecutableElement> methodsNamedBy(MethodInvocationTree call, java.util.Map<String, TypeElement> recordParameters) {
    ExpressionTree select = call.getMethodSelect();
    List<TypeElement> owners;
    String name;
    boolean onReceiver = false;
    if (select instanceof MemberSelectTree member && member.getExpression() instanceof IdentifierTree value
        && recordParameters.containsKey(value.getName().toString())) {
      // A method of a record parameter; its accessors are read as its components, once.
      TypeElement record = recordParameters.get(value.getName().toString());
      return ElementFilter.methodsIn(elements.getAllMembers(record)).stream()
          .filter(method -> method.getSimpleName().contentEquals(member.getIdentifier())
              && !method.getModifiers().contains(Modifier.STATIC) && method.getEnclosingElement() == record)
          .filter(method -> record.getRecordComponents().stream().noneMatch(component -> method.equals(component.getAccessor())))
          .toList();
    }
    if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
      owners = unqualifiedOwners(name, true);
      onReceiver = true;
    } else if (select instanceof MemberSelectTree member && isThis(member.getExpression())) {
      name = member.getIdentifier().toString();
      owners = List.of(owner);
      onReceiver = true;
    } else if (select instanceof MemberSelectTree member && tryResolveType(member.getExpression()) != null) {
      name = member.getIdentifier().toString();
      owners = List.of(tryResolveType(member.getExpression()));
    } else {
      return List.of();
    }
    List<ExecutableElement> methods = new ArrayList<>();
    if (onReceiver && call.getArguments().isEmpty() && accessorReturnsField(name)) {
      return methods; // a record's component, read as a field
    }
    for (TypeElement type : owners) {
      for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
        boolean reachable = method.getModifiers().contains(Modifier.STATIC) || (onReceiver && type == owner);
        if (method.getSimpleName().contentEquals(name) && reachable) {
          methods.add(method);
        }
      }
    }
    return methods;
  }

  /** Whether {@code tree}, which is not a local variable, names a static (or non-final) array field. */
  boolean namesArrayField(ExpressionTree tree) {
    List<TypeElement> owners;
    String name;
    if (tree instanceof IdentifierTree id) {
      name = id.getName().toString();
      owners = unqualifiedOwners(name, false);
    } else if (tree instanceof MemberSelectTree member && tryResolveType(member.getExpression()) != null) {
      name = member.getIdentifier().toString();
      owners = List.of(tryResolveType(member.getExpression()));
    } else {
      return false;
    }
    for (TypeElement type : owners) {
      for (VariableElement field : ElementFilter.fieldsIn(elements.getAllMembers(type))) {
        if (field.getSimpleName().contentEquals(name)) {
          // A final instance field's array is the receiver's, read like a parameter's.
          return field.asType().getKind() == javax.lang.model.type.TypeKind.ARRAY
              && (field.getModifiers().contains(Modifier.STATIC) || !field.getModifiers().contains(Modifier.FINAL));
        }
      }
    }
    return false;
  }

  /** Whether {@code name}, unqualified, is a field of an enclosing class or a static import. */
  public boolean isField(String name) {
    for (TypeElement candidate : unqualifiedOwners(name, false)) {
      for (VariableElement field : ElementFilter.fieldsIn(elements.getAllMembers(candidate))) {
        if (field.getSimpleName().contentEquals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Classes whose members an unqualified name may denote: enclosing classes, then static imports. */
  private List<TypeElement> unqualifiedOwners(String member, boolean method) {
    List<TypeElement> owners = new ArrayList<>();
    for (Element e = owner; e instanceof TypeElement type; e = e.getEnclosingElement()) {
      owners.add(type);
    }
    for (ImportTree importTree : unit.getImports()) {
      if (!importTree.isStatic()) {
        continue;
      }
      String imported = importTree.getQualifiedIdentifier().toString();
      int dot = imported.lastIndexOf('.');
      String simple = imported.substring(dot + 1);
      if (simple.equals("*") || simple.equals(member)) {
        TypeElement type = elements.getTypeElement(imported.substring(0, dot));
        if (type != null) {
          owners.add(type);
        }
      }
    }
    return owners;
  }

  private TypeElement resolveType(ExpressionTree tree) {
    TypeElement type = tryResolveType(tree);
    if (type == null) {
      throw unresolved(tree, "the class " + tree);
    }
    return type;
  }

  /** The class an expression such as {@code Math}, {@code Outer.Inner} or {@code java.lang.Math} names. */
  private TypeElement tryResolveType(ExpressionTree tree) {
    if (tree instanceof IdentifierTree id) {
      return resolveSimpleType(id.getName().toString());
    }
    if (tree instanceof MemberSelectTree select) {
      TypeElement direct = elements.getTypeElement(select.toString());
      if (direct != null) {
        return direct;
      }
      TypeElement outer = tryResolveType(select.getExpression());
      return outer == null ? null : memberType(outer, select.getIdentifier().toString());
    }
    return null;
  }

  private TypeElement resolveSimpleType(String name) {
    for (Element e = owner; e instanceof TypeElement type; e = e.getEnclosingElement()) {
      if (type.getSimpleName().contentEquals(name)) {
        return type;
      }
      TypeElement member = memberType(type, name);
      if (member != null) {
        return member;
      }
    }
    for (ImportTree importTree : unit.getImports()) {
      String imported = importTree.getQualifiedIdentifier().toString();
      if (!importTree.isStatic() && imported.endsWith("." + name)) {
        TypeElement type = elements.getTypeElement(imported);
        if (type != null) {
          return type;
        }
      }
    }
    String packageName = elements.getPackageOf(owner).getQualifiedName().toString();
    TypeElement samePackage = elements.getTypeElement(packageName.isEmpty() ? name : packageName + "." + name);
    if (samePackage != null) {
      return samePackage;
    }
    for (ImportTree importTree : unit.getImports()) {
      String imported = importTree.getQualifiedIdentifier().toString();
      if (!importTree.isStatic() && imported.endsWith(".*")) {
        TypeElement type = elements.getTypeElement(imported.substring(0, imported.length() - 1) + name);
        if (type != null) {
          return type;
        }
      }
    }
    return elements.getTypeElement("java.lang." + name);
  }

  /** A class nested in {@code type} or inherited from its supertypes. */
  private TypeElement memberType(TypeElement type, String name) {
    for (Element member : elements.getAllMembers(type)) {
      if ((member.getKind().isClass() || member.getKind().isInterface() || member.getKind() == ElementKind.RECORD)
          && member.getSimpleName().contentEquals(name)) {
        return (TypeElement) member;
      }
    }
    return null;
  }
}
