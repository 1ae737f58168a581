package dev.adjoint.processor.frontend;

import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

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
    return valueType(mirror);
  }

  /** An IR type, or a String or enum value: what a parameter of a called method may be. */
  public static Optional<Type> valueType(TypeMirror mirror) {
    return toIr(mirror).or(() -> dataObject(mirror));
  }

  /** Whether the type is {@code float}, which generated methods take as {@code double}. */
  public static boolean isFloat(TypeMirror mirror) {
    return mirror.getKind() == TypeKind.FLOAT;
  }

  /** A String or an enum: a data value that switches select on and {@code ==} or {@code equals} compares. */
  public static Optional<Type> dataObject(TypeMirror mirror) {
    if (!(mirror instanceof DeclaredType declared)) {
      return Optional.empty();
    }
    TypeElement type = (TypeElement) declared.asElement();
    boolean string = type.getQualifiedName().contentEquals(Type.STRING.className());
    return string || type.getKind() == ElementKind.ENUM
        ? Optional.of(Type.object(type.getQualifiedName().toString())) : Optional.empty();
  }

  /** The IR type of a parameter: as {@link #valueType}, or the record's own type for a record Adjoint can take apart. */
  public static Optional<Type> toIrOrRecord(TypeMirror mirror) {
    return valueType(mirror).or(() -> recordShape(mirror).map(shape -> Type.object(shape.className())));
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
}
