// The input queue: events fed to Dear ImGui 1.86 in arrival order, a frame's worth at a time, so a
// fast typist on a slow frame loses nothing (issue 14). Pure C++: no browser needed.
#include <gtest/gtest.h>

#include <string>

#include "input_queue.hpp"

namespace {
InputEvent pos(float x, float y) {
    return InputEvent{InputEventKind::MousePos, x, y, 0, InputKey_None, false, 0, false, {}};
}
InputEvent button(bool down) {
    return InputEvent{InputEventKind::MouseButton, 0, 0, 0, InputKey_None, down, 0, false, {}};
}
InputEvent key(InputKey k, bool down, int mods = 0) {
    return InputEvent{InputEventKind::Key, 0, 0, 0, k, down, mods, false, {}};
}
InputEvent text(std::string s) {
    return InputEvent{InputEventKind::Text, 0, 0, 0, InputKey_None, false, 0, false, std::move(s)};
}
InputEvent wheel(float y) { return InputEvent{InputEventKind::Wheel, 0, y, 0, InputKey_None, false, 0, false, {}}; }
}  // namespace

TEST(InputQueue, TextTypedRightAfterAClickWaitsUntilTheClickIsSeen) {
    InputQueue q;
    for (InputEvent e : {pos(10, 20), button(true), button(false), text("r"), text("elais@demo.uneplace.test")})
        q.push(e);

    InputFrame f = q.take_frame();  // the press activates the field
    EXPECT_TRUE(q.state.mouse_down[0]);
    EXPECT_EQ(q.state.mouse_x, 10);
    EXPECT_EQ(f.text, "");
    f = q.take_frame();  // the release
    EXPECT_FALSE(q.state.mouse_down[0]);
    EXPECT_EQ(f.text, "");
    f = q.take_frame();  // every character, the first one too, in order
    EXPECT_EQ(f.text, "relais@demo.uneplace.test");
    EXPECT_TRUE(q.events.empty());
}

TEST(InputQueue, AKeyTappedBetweenTwoFramesIsSeenDownForOneFrame) {
    InputQueue q;
    q.push(key(InputKey_Backspace, true));
    q.push(key(InputKey_Backspace, false));
    q.push(key(InputKey_Backspace, true));
    q.push(key(InputKey_Backspace, false));
    for (bool expected : {true, false, true, false}) {
        q.take_frame();
        EXPECT_EQ(q.state.keys_down[InputKey_Backspace], expected);
    }
}

TEST(InputQueue, DifferentKeysAndRunsOfTextShareAFrame) {
    InputQueue q;
    q.push(key(InputKey_Control, true, InputMod_Ctrl));
    q.push(key(InputKey_A, true, InputMod_Ctrl));
    q.take_frame();
    EXPECT_TRUE(q.state.keys_down[InputKey_A]);
    EXPECT_EQ(q.state.mods, InputMod_Ctrl);
    q.push(key(InputKey_A, false, InputMod_Ctrl));
    q.push(key(InputKey_Control, false, 0));
    q.push(text("a"));
    q.push(text("b"));
    EXPECT_EQ(q.take_frame().text, "");  // Ctrl released first: "ab" must not be read as Ctrl+A, Ctrl+B
    EXPECT_EQ(q.state.mods, 0);
    EXPECT_EQ(q.take_frame().text, "ab");
}

TEST(InputQueue, PasteGoesWithItsShortcutKey) {
    InputQueue q;
    q.push(key(InputKey_Control, true, InputMod_Ctrl));
    q.push(key(InputKey_V, true, InputMod_Ctrl));
    EXPECT_TRUE(q.attach_paste("K7M2-Q9XA"));
    EXPECT_FALSE(q.attach_paste("again"));  // one paste per shortcut
    q.take_frame();
    EXPECT_TRUE(q.state.keys_down[InputKey_V]);
    EXPECT_EQ(q.state.clipboard, "K7M2-Q9XA");
}

TEST(InputQueue, PasteWithoutShortcutIsLeftToTheCaller) {
    InputQueue q;
    q.push(key(InputKey_V, true));  // a plain "v" typed: no shortcut
    EXPECT_FALSE(q.attach_paste("K7M2-Q9XA"));
    q.push(key(InputKey_Insert, true, InputMod_Shift));  // Shift+Insert is a paste shortcut
    EXPECT_TRUE(q.attach_paste("K7M2-Q9XA"));
}

TEST(InputQueue, WheelWaitsForThePointerToHaveMoved) {
    InputQueue q;
    q.push(pos(100, 200));
    q.push(wheel(100));
    q.push(wheel(-40));
    InputFrame f = q.take_frame();
    EXPECT_EQ(f.wheel_y, 0);  // the list under the new position is known only after this frame
    f = q.take_frame();
    EXPECT_EQ(f.wheel_y, 60);  // small steps add up
}

TEST(InputQueue, ReleaseAllLetsGoOfEverythingHeld) {
    InputQueue q;
    q.push(button(true));
    q.push(key(InputKey_Shift, true, InputMod_Shift));
    q.take_frame();
    q.release_all();
    q.take_frame();
    q.take_frame();
    EXPECT_FALSE(q.state.mouse_down[0]);
    EXPECT_FALSE(q.state.keys_down[InputKey_Shift]);
    EXPECT_EQ(q.state.mods, 0);
}

TEST(InputWheel, DeltaModesBecomePixels) {
    EXPECT_EQ(wheel_delta_px(100, 0, 27, 600), 100);          // Chrome, a notch down
    EXPECT_EQ(wheel_delta_px(-3, 1, 27, 600), -81);           // Firefox, a notch up: three lines
    EXPECT_EQ(wheel_delta_px(1, 2, 27, 600), 600);            // a page
    EXPECT_FLOAT_EQ(wheel_delta_px(0.5f, 0, 27, 600), 0.5f);  // a trackpad's small step is kept
}

TEST(InputKeys, KeyboardEventKeysMapToTheKeysDearImGuiReads) {
    EXPECT_EQ(input_key_from_dom("a"), InputKey_A);
    EXPECT_EQ(input_key_from_dom("V"), InputKey_V);  // Shift held
    EXPECT_EQ(input_key_from_dom("ArrowLeft"), InputKey_LeftArrow);
    EXPECT_EQ(input_key_from_dom("Meta"), InputKey_Super);
    EXPECT_EQ(input_key_from_dom("@"), InputKey_None);  // characters come as text
    EXPECT_EQ(input_key_from_dom("Unidentified"), InputKey_None);
    EXPECT_EQ(input_key_from_dom(""), InputKey_None);
}

TEST(InputKeys, OnScreenKeyboardFollowsTheFieldsCaption) {
    EXPECT_STREQ(input_mode_for_caption("Adresse e-mail"), "email");
    EXPECT_STREQ(input_mode_for_caption("Courriel de contact"), "email");
    EXPECT_STREQ(input_mode_for_caption("Nombre de places"), "numeric");
    EXPECT_STREQ(input_mode_for_caption("Code postal du lieu"), "numeric");
    EXPECT_STREQ(input_mode_for_caption("Téléphone"), "tel");
    EXPECT_STREQ(input_mode_for_caption("Rechercher"), "text");
}
