package dev.adjoint.runtime.check;

import dev.adjoint.runtime.Matrix;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Short, readable renderings of sampled arguments for failure messages: arrays show their shape and
 * their first few entries at full precision, records their components (not the identity hashes that
 * a record's own {@code toString} prints for array components).
 */
final class ArgumentText {
  // Entries shown per array dimension before "...".
  private static final int SHOWN = 6;
  // A value's text is cut beyond this many characters.
  private static final int LONGEST = 600;

  private ArgumentText() {}

  /** One line per argument, {@code name = value}, each indented by {@code indent}. */
  static String describe(List<FunctionParameter> parameters, Object[] arguments, String indent) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < parameters.size(); i++) {
      if (i > 0) {
        text.append('\n');
      }
      text.append(indent).append(parameters.get(i).name()).append(" = ");
      text.append(i < arguments.length ? value(arguments[i]) : "(none)");
    }
    return text.toString();
  }

  /** One value, at most about {@value #LONGEST} characters. */
  static String value(Object value) {
    String text = render(value, 0);
    return text.length() <= LONGEST ? text : text.substring(0, LONGEST) + "...";
  }

  private static String render(Object value, int depth) {
    if (value == null) {
      return "null";
    }
    Class<?> type = value.getClass();
    if (type.isArray()) {
      return shape(value) + " " + entries(value);
    }
    if (value instanceof Matrix matrix) {
      // Full precision, unlike Matrix.toString, so that a failing point can be pasted into a test.
      return "Matrix " + matrix.shape() + " " + entries(matrix.toArray());
    }
    if (type.isRecord() && depth < 4) {
      StringBuilder text = new StringBuilder(type.getSimpleName()).append('[');
      RecordComponent[] components = type.getRecordComponents();
      for (int i = 0; i < components.length; i++) {
        if (i > 0) {
          text.append(", ");
        }
        text.append(components[i].getName()).append('=');
        try {
          Method accessor = components[i].getAccessor();
          accessor.setAccessible(true);
          text.append(render(accessor.invoke(value), depth + 1));
        } catch (ReflectiveOperationException | RuntimeException e) {
          text.append('?');
        }
      }
      return text.append(']').toString();
    }
    return String.valueOf(value);
  }

  /** Such as {@code double[4]} or {@code double[3][2]} (the first row's length). */
  private static String shape(Object array) {
    StringBuilder dimensions = new StringBuilder();
    Class<?> type = array.getClass();
    Object level = array;
    while (type.isArray()) {
      int length = level == null ? 0 : Array.getLength(level);
      dimensions.append('[').append(length).append(']');
      level = length > 0 ? Array.get(level, 0) : null;
      type = type.getComponentType();
    }
    return type.getSimpleName() + dimensions;
  }

  private static String entries(Object array) {
    StringBuilder text = new StringBuilder("[");
    int length = Array.getLength(array);
    for (int i = 0; i < Math.min(length, SHOWN); i++) {
      if (i > 0) {
        text.append(", ");
      }
      Object entry = Array.get(array, i);
      text.append(entry != null && entry.getClass().isArray() ? entries(entry) : render(entry, 1));
    }
    if (length > SHOWN) {
      text.append(", ... (").append(length - SHOWN).append(" more)");
    }
    return text.append(']').toString();
  }
}
