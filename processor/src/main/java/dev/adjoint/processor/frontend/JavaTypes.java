package dev.adjoint.processor.frontend;

import dev.adjoint.processor.ir.FunctionShape;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/** Maps javac's types to the IR's; anything the IR lacks maps to empty. */
public final class JavaTypes {
  private JavaTypes() {}

  public static Optional<Type> toIr(TypeMirror mirror) {
    int dimensions = 0;
    while (mirror instanceof ArrayType array) {
      dimensions++;
      mirror = array.getComponentType();
    }
    Type.Base base =
        switch (mirror.getKind()) {
          case DOUBLE -> Type.Base.DOUBLE;
          case INT -> Type.Base.INT;
          case LONG -> Type.Base.LONG;
          case BOOLEAN -> Type.Base.BOOLEAN;
          case DECLARED -> mirror.toString().equals(Type.MATRIX_CLASS) ? Type.Base.MATRIX : null;
          default -> null;
        };
    if (base == null || dimensions > 2 || (base == Type.Base.MATRIX && dimensions > 0)) {
      return Optional.empty();
    }
    return Optional.of(new Type(base, dimensions));
  }

  /**
   * The IR type of a parameter of a {@code @Differentiable} method: an IR type, a {@code float}
   * (held as a double, as float locals are), or a String or enum value (data, such as a switch's
   * selector); empty for anything else, and for records (see {@link #recordShape}).
   */
  public static Optional<Type> parameterType(TypeMirror mirror) {
    if (mirror.getKind() == TypeKind.FLOAT) {
      return Optional.of(Type.DOUBLE);
    }
    return toIr(mirror).or(() -> isStringOrEnum(mirror) ? dataObject(mirror) : Optional.empty());
  }

  /**
   * An IR type, or a data object (see {@link #dataObject}): what a constant may be, and what a
   * parameter of a called method may be besides a function (see {@link #calleeParameterType}).
   */
  public static Optional<Type> valueType(TypeMirror mirror) {
    return toIr(mirror).or(() -> dataObject(mirror));
  }

  /** Whether the type is {@code float}, which generated methods take as {@code double}. */
  public static boolean isFloat(TypeMirror mirror) {
    return mirror.getKind() == TypeKind.FLOAT;
  }

  /**
   * A data object: a value derivative code passes on and never differentiates. A String or an enum
   * (which switches select on and {@code ==} or {@code equals} compares, see {@link #isStringOrEnum}),
   * or an object of another class or record (such as a solver's options, read by derivative rules);
   * empty for anything else (interfaces, generic types, primitives, arrays).
   */
  public static Optional<Type> dataObject(TypeMirror mirror) {
    if (!(mirror instanceof DeclaredType declared) || !declared.getTypeArguments().isEmpty()) {
      return Optional.empty();
    }
    ElementKind kind = declared.asElement().getKind();
    boolean data = kind == ElementKind.CLASS || kind == ElementKind.RECORD || kind == ElementKind.ENUM;
    return data ? Optional.of(Type.object(((TypeElement) declared.asElement()).getQualifiedName().toString()))
        : Optional.empty();
  }

  /** Whether the type is String or an enum: the data objects switches select on and equality compares. */
  public static boolean isStringOrEnum(TypeMirror mirror) {
    if (!(mirror instanceof DeclaredType declared)) {
      return false;
    }
    TypeElement type = (TypeElement) declared.asElement();
    return type.getQualifiedName().contentEquals(Type.STRING.className()) || type.getKind() == ElementKind.ENUM;
  }

  /** A record type's components, recursively: leaves are IR types, nested records are shapes. */
  public record RecordShape(String className, List<String> accessors, List<Object> components) {
    /** Whether any leaf is differentiable, so that the record has a gradient. */
    public boolean isDifferentiable() {
      for (Object component : components) {
        if (component instanceof Type type ? type.isDifferentiable() : ((RecordShape) component).isDifferentiable()) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * The shape of a record whose components are IR types or such records; empty for anything else
   * (a class, or a record with a component of another type).
   */
  public static Optional<RecordShape> recordShape(TypeMirror mirror) {
    if (!(mirror instanceof DeclaredType declared) || declared.asElement().getKind() != ElementKind.RECORD
        || !declared.getTypeArguments().isEmpty()) {
      return Optional.empty();
    }
    TypeElement record = (TypeElement) declared.asElement();
    List<String> accessors = new ArrayList<>();
    List<Object> components = new ArrayList<>();
    for (RecordComponentElement component : record.getRecordComponents()) {
      Optional<Type> leaf = toIr(component.asType());
      Object shape = leaf.isPresent() ? leaf.get() : recordShape(component.asType()).orElse(null);
      if (shape == null) {
        return Optional.empty();
      }
      accessors.add(component.getSimpleName().toString());
      components.add(shape);
    }
    return Optional.of(new RecordShape(record.getQualifiedName().toString(), accessors, components));
  }

  /** Whether no component of the record, nested ones included, is a Matrix. */
  public static boolean holdsNoMatrix(RecordShape shape) {
    for (Object component : shape.components()) {
      if (component instanceof Type type ? type.base() == Type.Base.MATRIX : !holdsNoMatrix((RecordShape) component)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The shape of a record result whose leaves are all {@code double}s (nested records allowed),
   * which differentiated code carries as a {@code double[]} of its leaves, depth first; empty for
   * any other type.
   */
  public static Optional<RecordShape> recordOfDoubles(TypeMirror mirror) {
    return recordShape(mirror).filter(JavaTypes::allDoubles);
  }

  private static boolean allDoubles(RecordShape shape) {
    return shape.components().stream().allMatch(component -> component instanceof RecordShape nested
        ? allDoubles(nested) : component.equals(Type.DOUBLE));
  }

  /** The IR type of a result: as {@link #toIr}, or the {@code double[]} of its leaves for a record of doubles. */
  public static Optional<Type> resultToIr(TypeMirror mirror) {
    Optional<Type> type = toIr(mirror);
    return type.isPresent() ? type : recordOfDoubles(mirror).map(shape -> Type.DOUBLE_ARRAY);
  }

  /** Whether a parameter of this type can be differentiated (a differentiable value, or a record holding one). */
  public static boolean isDifferentiableParameter(TypeMirror mirror) {
    return parameterType(mirror).map(Type::isDifferentiable)
        .orElseGet(() -> recordShape(mirror).map(RecordShape::isDifferentiable).orElse(false));
  }

  /**
   * The shape of a functional interface whose single abstract method takes {@code double} and
   * {@code double[]} values and returns one: what a function with derivative rules may take as a
   * function parameter. Empty for any other type.
   */
  public static Optional<FunctionShape> functionShape(TypeMirror mirror) {
    if (!(mirror instanceof DeclaredType declared) || declared.asElement().getKind() != ElementKind.INTERFACE
        || !declared.getTypeArguments().isEmpty()) {
      return Optional.empty();
    }
    TypeElement type = (TypeElement) declared.asElement();
    List<ExecutableElement> abstractMethods = abstractMethods(type);
    if (abstractMethods.size() != 1) {
      return Optional.empty();
    }
    ExecutableElement method = abstractMethods.get(0);
    List<Type> parameterTypes = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      Optional<Type> parameterType = toIr(parameter.asType()).filter(JavaTypes::isFunctionValue);
      if (parameterType.isEmpty()) {
        return Optional.empty();
      }
      parameterTypes.add(parameterType.get());
    }
    return toIr(method.getReturnType()).filter(JavaTypes::isFunctionValue).map(result -> new FunctionShape(
        type.getQualifiedName().toString(), method.getSimpleName().toString(), parameterTypes, result));
  }

  /**
   * The IR type of a parameter of a called method: a value's, the functional interface of a function
   * parameter (see {@link #functionShape}), or a data object's class (String, enum, class or record,
   * see {@link #dataObject}).
   */
  public static Optional<Type> calleeParameterType(TypeMirror mirror) {
    Optional<Type> value = toIr(mirror);
    if (value.isPresent()) {
      return value;
    }
    Optional<FunctionShape> function = functionShape(mirror);
    return function.isPresent() ? function.map(FunctionShape::type) : dataObject(mirror);
  }

  /**
   * Whether a called method's parameter of this type is one only derivative rules can give meaning
   * to: a function, or a data object other than a String, an enum, or a record Adjoint takes apart
   * (those go to the helper path, which passes records as their components).
   */
  public static boolean needsRules(TypeMirror mirror) {
    if (toIr(mirror).isPresent()) {
      return false;
    }
    if (functionShape(mirror).isPresent()) {
      return true;
    }
    return dataObject(mirror).isPresent() && !isStringOrEnum(mirror) && recordShape(mirror).isEmpty();
  }

  private static boolean isFunctionValue(Type type) {
    return type.equals(Type.DOUBLE) || type.equals(Type.DOUBLE_ARRAY);
  }

  /** The abstract methods of an interface and of the interfaces it extends (Object's public methods aside). */
  public static List<ExecutableElement> abstractMethods(TypeElement type) {
    List<ExecutableElement> methods = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      String name = method.getSimpleName().toString();
      boolean objectMethod = (name.equals("equals") && method.getParameters().size() == 1)
          || ((name.equals("hashCode") || name.equals("toString")) && method.getParameters().isEmpty());
      if (method.getModifiers().contains(Modifier.ABSTRACT) && !objectMethod) {
        methods.add(method);
      }
    }
    for (TypeMirror parent : type.getInterfaces()) {
      if (parent instanceof DeclaredType declared) {
        methods.addAll(abstractMethods((TypeElement) declared.asElement()));
      }
    }
    return methods;
  }
}
