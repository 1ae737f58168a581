package dev.adjoint.processor.lower;

import dev.adjoint.processor.ir.Type;
import java.util.Optional;
import javax.lang.model.type.ArrayType;
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
}
